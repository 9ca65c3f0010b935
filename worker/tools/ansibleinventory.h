#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QString>

namespace Nebula::Tools::AnsibleInventory {

// Inventories are JSON documents in the shape of Ansible's YAML inventory (all -> children ->
// nebula -> hosts -> <resource name> -> host vars), written to inventory.json by AnsibleRunner.
// Host vars read by infrastructure/ansible/roles/nginx: nebula_target (local|remote),
// nebula_resource_name, nginx_port, and nginx_instance_dir for local instances.

// A local-webserver instance: ansible_connection=local with the playbook's own Python.
// When the worker runs as root, nginx_local_user=root keeps nginx workers able to read the
// private instance directory.
QJsonObject forLocalInstance(const QString &resourceName, const QString &instanceDir, int port);

// A real host over SSH (EC2): ansible_host, ansible_user, ansible_become=true and, if given,
// ansible_ssh_private_key_file.
QJsonObject forSshHost(const QString &resourceName, const QString &address, const QString &user,
                       const QString &privateKeyFile = {});

// From `terraform output -json` values (name -> value, see TerraformRunner::outputs()):
//   "local-webserver": instance_dir, port          -> forLocalInstance
//   "ec2-instance":    public_ip, ssh_user         -> forSshHost
// Fails with a message naming the missing output, or for an unknown resource type.
Result<QJsonObject> fromTerraformOutputs(const QString &resourceType, const QString &resourceName,
                                         const QJsonObject &outputs,
                                         const QString &privateKeyFile = {});

// True when every host of the inventory uses ansible_connection=local.
bool isLocalOnly(const QJsonObject &inventory);

} // namespace Nebula::Tools::AnsibleInventory
