#include "localwebserver.h"

#include "terraformrunner.h"

#include <QDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace Nebula::Tools::LocalWebserver {

Result<int> freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return makeError(ErrorCode::Unavailable, u"Could not open a socket to find a free port"_s,
                         QString::fromLocal8Bit(std::strerror(errno)));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    int port = -1;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    const int err = errno;
    ::close(fd);
    if (port <= 0) {
        return makeError(ErrorCode::Unavailable, u"Could not find a free port on 127.0.0.1"_s,
                         QString::fromLocal8Bit(std::strerror(err)));
    }
    return port;
}

Result<QJsonObject> variables(const TerraformRunner &runner, const QString &resourceName,
                              const QString &instancesDir)
{
    int port = 0;
    const QJsonObject previous = runner.currentVariables();
    if (runner.hasResourcesInState() && previous.value(u"name"_s).toString() == resourceName)
        port = previous.value(u"port"_s).toInt();
    if (port <= 0) {
        const auto free = freeLoopbackPort();
        if (!free)
            return free.error();
        port = *free;
    }
    return QJsonObject{{u"name"_s, resourceName},
                       {u"base_dir"_s, QDir::cleanPath(QDir(instancesDir).absolutePath())},
                       {u"port"_s, port}};
}

} // namespace Nebula::Tools::LocalWebserver
