#include "toolevent.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools {

Provisioning::ToolEvent ToolEvent::toProgressEvent() const
{
    return Provisioning::ToolEvent{time, level, text};
}

QString oneLine(QStringView text, qsizetype maxLength)
{
    QString out = text.toString().simplified();
    if (out.size() > maxLength)
        out = out.left(maxLength - 1) + QChar(0x2026);
    return out;
}

} // namespace Nebula::Tools
