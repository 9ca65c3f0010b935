#include "provisioning/resourcespec.h"

#include "provisioning/catalogue.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Provisioning {
namespace {

bool isLabelChar(char32_t c)
{
    return (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9') || c == U'-';
}

// Describes one offending character without echoing control characters or invisible ones.
QString describeChar(char32_t c)
{
    const QString code = u"U+"_s + QString::number(static_cast<uint>(c), 16).toUpper().rightJustified(4, u'0');
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        return u"a control character (%1)"_s.arg(code);
    if (c == U' ')
        return u"a space"_s;
    if (c > 0x7f)
        return u"'%1' (%2, not an ASCII letter)"_s.arg(QString::fromUcs4(&c, 1), code);
    if (c >= U'A' && c <= U'Z')
        return u"the uppercase letter '%1'"_s.arg(QChar(static_cast<char16_t>(c)));
    return u"'%1'"_s.arg(QChar(static_cast<char16_t>(c)));
}

// A bounded, printable rendering of user input for use inside an error message.
QString quoted(const QString &text)
{
    QString out;
    for (const QChar c : text.left(40))
        out += c.isPrint() ? c : QChar(u'?');
    if (text.size() > 40)
        out += u'…';
    return out;
}

QString joinChoices(const QStringList &choices)
{
    return choices.join(u", "_s);
}

} // namespace

QJsonObject ResourceSpec::toJson() const
{
    return QJsonObject{{u"name"_s, name},
                       {u"type"_s, type},
                       {u"region"_s, region},
                       {u"size"_s, size},
                       {u"requestedBy"_s, requestedBy}};
}

Result<ResourceSpec> ResourceSpec::fromJson(const QJsonValue &json)
{
    if (!json.isObject())
        return makeError(ErrorCode::Parse,
                         u"The resource specification must be a JSON object with name, type, region and size."_s);
    const auto object = json.toObject();
    ResourceSpec spec;
    for (const auto &[key, target] : {std::pair{u"name"_s, &spec.name}, std::pair{u"type"_s, &spec.type},
                                      std::pair{u"region"_s, &spec.region}, std::pair{u"size"_s, &spec.size},
                                      std::pair{u"requestedBy"_s, &spec.requestedBy}}) {
        const auto value = object.value(key);
        if (!value.isUndefined() && !value.isNull() && !value.isString())
            return makeError(ErrorCode::Parse, u"The field \"%1\" must be a string."_s.arg(key));
        *target = value.toString();
    }
    return spec;
}

QString validateName(const QString &name)
{
    if (name.isEmpty())
        return u"Enter a name: lowercase letters, digits and '-', for example \"demo-webserver\"."_s;
    if (name.size() > MaxNameLength)
        return u"The name is %1 characters long; use at most %2."_s.arg(name.size()).arg(MaxNameLength);
    const auto ucs4 = name.toUcs4();
    for (const char32_t c : ucs4) {
        if (!isLabelChar(c))
            return u"The name contains %1; use only lowercase letters a-z, digits 0-9 and '-'."_s.arg(
                describeChar(c));
    }
    if (name.startsWith(u'-') || name.endsWith(u'-'))
        return u"The name must start and end with a letter or digit, not '-'."_s;
    return {};
}

QList<FieldError> validate(const ResourceSpec &spec)
{
    QList<FieldError> errors;
    if (const auto nameError = validateName(spec.name); !nameError.isEmpty())
        errors.append({u"name"_s, nameError});

    const ResourceType *type = nullptr;
    if (spec.type.isEmpty()) {
        errors.append({u"type"_s, u"Choose a resource type: %1."_s.arg(joinChoices(resourceTypeIds()))});
    } else if (type = findResourceType(spec.type); !type) {
        errors.append({u"type"_s, u"Unknown resource type \"%1\"; choose one of: %2."_s.arg(
                                      quoted(spec.type), joinChoices(resourceTypeIds()))});
    }
    if (type) {
        if (spec.region.isEmpty())
            errors.append({u"region"_s, u"Choose a region for %1: %2."_s.arg(type->id, joinChoices(type->regions))});
        else if (!type->regions.contains(spec.region))
            errors.append({u"region"_s, u"Region \"%1\" is not available for %2; choose one of: %3."_s.arg(
                                            quoted(spec.region), type->id, joinChoices(type->regions))});
        if (spec.size.isEmpty())
            errors.append({u"size"_s, u"Choose a size for %1: %2."_s.arg(type->id, joinChoices(type->sizes))});
        else if (!type->sizes.contains(spec.size))
            errors.append({u"size"_s, u"Size \"%1\" is not offered for %2; choose one of: %3."_s.arg(
                                          quoted(spec.size), type->id, joinChoices(type->sizes))});
    }
    if (spec.requestedBy.size() > MaxRequestedByLength) {
        errors.append({u"requestedBy"_s, u"The requester name is %1 characters long; use at most %2."_s.arg(
                                             spec.requestedBy.size()).arg(MaxRequestedByLength)});
    } else {
        for (const QChar c : spec.requestedBy) {
            if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) {
                errors.append({u"requestedBy"_s, u"The requester name contains a control character; remove it."_s});
                break;
            }
        }
    }
    return errors;
}

Result<ResourceSpec> validated(const ResourceSpec &spec)
{
    const auto errors = validate(spec);
    if (errors.isEmpty())
        return spec;
    QStringList messages;
    for (const auto &e : errors)
        messages << e.message;
    Error error = makeError(ErrorCode::Validation, messages.join(u' '));
    QJsonObject fields;
    for (const auto &e : errors)
        fields.insert(e.field, e.message);
    error.data.insert(u"fields"_s, fields);
    return error;
}

} // namespace Nebula::Provisioning
