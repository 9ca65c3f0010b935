#pragma once

#include "store.h"

#include "common/result.h"

#include <string>

namespace Nebula::DevServer {

struct VisibilityQuery
{
    SqlFilter filter;
    bool groupByStatus = false;
};

// Parses the List/Count query language (an SQL-like WHERE clause over system search attributes:
// WorkflowId, RunId, WorkflowType, TaskQueue, ExecutionStatus, StartTime, CloseTime,
// ExecutionTime, HistoryLength, ExecutionDuration, ParentWorkflowId; = != <> < <= > >=, [NOT] IN,
// [NOT] BETWEEN … AND …, STARTS_WITH, IS [NOT] NULL, AND, OR, NOT, parentheses; ORDER BY; for
// Count also GROUP BY ExecutionStatus) into parameterised SQL over the `executions` table.
// Errors are InvalidArgument with a message saying what is wrong and where.
Result<VisibilityQuery> parseVisibilityQuery(const std::string &query, bool allowGroupBy = false);

} // namespace Nebula::DevServer
