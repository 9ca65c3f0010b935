#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace Nebula::Provisioning {

// One kind of resource NebulaOps can provision: which Terraform module it uses, and the regions and
// sizes an operator may choose. The console's form and the worker's validation read the same table.
struct ResourceType
{
    QString id;            // "local-webserver", "ec2-instance"
    QString displayName;   // "Local web server"
    QString description;   // one line for the form
    QString terraformModule; // directory name under infrastructure/terraform/modules
    QStringList regions;
    QString defaultRegion;
    QStringList sizes;
    QString defaultSize;
};

// The catalogue of resource types, in display order.
const QList<ResourceType> &catalogue();

// The type with this id, or nullptr.
const ResourceType *findResourceType(QStringView id);

QStringList resourceTypeIds();

} // namespace Nebula::Provisioning
