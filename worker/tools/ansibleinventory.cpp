#include "ansibleinventory.h"

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools::AnsibleInventory {
namespace {

QJsonObject wrap(const QString &host, const QJsonObject &vars)
{
    const QJsonObject hosts{{host, vars}};
    const QJsonObject nebula{{u"hosts"_s, hosts}};
    const QJsonObject children{{u"nebula"_s, nebula}};
    return QJsonObject{{u"all"_s, QJsonObject{{u"children"_s, children}}}};
}

void collectHosts(const QJsonObject &group, QList<QJsonObject> &out)
{
    const QJsonObject hosts = group.value(u"hosts"_s).toObject();
    for (auto it = hosts.begin(); it != hosts.end(); ++it)
        out.append(it.value().toObject());
    const QJsonObject children = group.value(u"children"_s).toObject();
    for (auto it = children.begin(); it != children.end(); ++it)
        collectHosts(it.value().toObject(), out);
}

} // namespace

QJsonObject forLocalInstance(const QString &resourceName, const QString &instanceDir, int port)
{
    return wrap(resourceName,
                {{u"ansible_connection"_s, u"local"_s},
                 {u"ansible_python_interpreter"_s, u"{{ ansible_playbook_python }}"_s},
                 {u"nebula_target"_s, u"local"_s},
                 {u"nebula_resource_name"_s, resourceName},
                 {u"nginx_instance_dir"_s, instanceDir},
                 {u"nginx_port"_s, port},
                 {u"nginx_local_user"_s, ::geteuid() == 0 ? u"root"_s : QString()}});
}

QJsonObject forSshHost(const QString &resourceName, const QString &address, const QString &user,
                       const QString &privateKeyFile)
{
    QJsonObject vars{{u"ansible_host"_s, address},
                     {u"ansible_user"_s, user},
                     {u"ansible_become"_s, true},
                     {u"nebula_target"_s, u"remote"_s},
                     {u"nebula_resource_name"_s, resourceName},
                     {u"nginx_port"_s, 80}};
    if (!privateKeyFile.isEmpty())
        vars.insert(u"ansible_ssh_private_key_file"_s, privateKeyFile);
    return wrap(resourceName, vars);
}

Result<QJsonObject> fromTerraformOutputs(const QString &resourceType, const QString &resourceName,
                                         const QJsonObject &outputs,
                                         const QString &privateKeyFile)
{
    const auto missing = [&](const QString &name) {
        return makeError(ErrorCode::FailedPrecondition,
                         u"Terraform did not output \"%1\" for %2; cannot build the Ansible "
                         u"inventory"_s.arg(name, resourceName));
    };
    if (resourceType == u"local-webserver"_s) {
        const QString dir = outputs.value(u"instance_dir"_s).toString();
        const int port = outputs.value(u"port"_s).toInt();
        if (dir.isEmpty())
            return missing(u"instance_dir"_s);
        if (port <= 0)
            return missing(u"port"_s);
        return forLocalInstance(resourceName, dir, port);
    }
    if (resourceType == u"ec2-instance"_s) {
        const QString ip = outputs.value(u"public_ip"_s).toString();
        const QString user = outputs.value(u"ssh_user"_s).toString();
        if (ip.isEmpty())
            return missing(u"public_ip"_s);
        if (user.isEmpty())
            return missing(u"ssh_user"_s);
        return forSshHost(resourceName, ip, user, privateKeyFile);
    }
    return makeError(ErrorCode::InvalidArgument,
                     u"No Ansible inventory is known for resource type \"%1\""_s.arg(resourceType));
}

bool isLocalOnly(const QJsonObject &inventory)
{
    QList<QJsonObject> hosts;
    collectHosts(inventory.value(u"all"_s).toObject(), hosts);
    if (hosts.isEmpty())
        return false;
    for (const QJsonObject &vars : hosts) {
        if (vars.value(u"ansible_connection"_s).toString() != u"local"_s)
            return false;
    }
    return true;
}

} // namespace Nebula::Tools::AnsibleInventory
