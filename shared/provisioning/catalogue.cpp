#include "provisioning/catalogue.h"

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Provisioning {

const QList<ResourceType> &catalogue()
{
    static const QList<ResourceType> types = {
        ResourceType{
            u"local-webserver"_s,
            u"Local web server"_s,
            u"An nginx instance on the worker host, on its own loopback port (no cloud account needed)."_s,
            u"local-webserver"_s,
            {u"local"_s},
            u"local"_s,
            {u"small"_s, u"medium"_s, u"large"_s},
            u"small"_s,
        },
        ResourceType{
            u"ec2-instance"_s,
            u"AWS EC2 instance"_s,
            u"A Debian EC2 instance running nginx, reachable over SSH and HTTP."_s,
            u"aws-ec2"_s,
            {u"us-east-1"_s, u"us-east-2"_s, u"us-west-1"_s, u"us-west-2"_s, u"ca-central-1"_s,
             u"eu-west-1"_s, u"eu-west-2"_s, u"eu-central-1"_s, u"eu-north-1"_s,
             u"ap-southeast-1"_s, u"ap-southeast-2"_s, u"ap-northeast-1"_s, u"sa-east-1"_s},
            u"eu-central-1"_s,
            {u"t3.micro"_s, u"t3.small"_s, u"t3.medium"_s, u"t3.large"_s},
            u"t3.micro"_s,
        },
    };
    return types;
}

const ResourceType *findResourceType(QStringView id)
{
    for (const auto &type : catalogue()) {
        if (type.id == id)
            return &type;
    }
    return nullptr;
}

QStringList resourceTypeIds()
{
    QStringList ids;
    for (const auto &type : catalogue())
        ids << type.id;
    return ids;
}

} // namespace Nebula::Provisioning
