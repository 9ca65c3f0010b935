#include "temporal/worker/internal/backoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace Nebula::Temporal::Internal {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds maximum, double factor)
    : m_initial(initial), m_maximum(maximum), m_factor(factor)
{
}

std::chrono::milliseconds Backoff::next()
{
    const double base = static_cast<double>(m_initial.count()) * std::pow(m_factor, m_attempt);
    ++m_attempt;
    const double capped = std::min(base, static_cast<double>(m_maximum.count()));
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(static_cast<qint64>(capped * jitter));
}

} // namespace Nebula::Temporal::Internal
