// Cold start of nebula-console to its first painted login window: runs the real executable with
// --quit-after-paint (fresh store and settings each run) and reports wall time per run.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int runs = argc > 1 ? QByteArray(argv[1]).toInt() : 10;
    QList<qint64> wall, painted;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir dir;
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        if (!env.contains(u"QT_QPA_PLATFORM"_s))
            env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_RUNTIME_DIR"_s, dir.path());
        p.setProcessEnvironment(env);
        QElapsedTimer t;
        t.start();
        p.start(QStringLiteral(NEBULA_CONSOLE_BINARY),
                {u"--quit-after-paint"_s, u"--memory-keychain"_s, u"--store"_s, dir.filePath(u"s.sqlite"_s),
                 u"--settings"_s, dir.filePath(u"s.ini"_s)});
        if (!p.waitForFinished(30000) || p.exitCode() != 0) {
            std::fprintf(stderr, "run %d failed: %s\n", i, p.readAllStandardError().constData());
            return 1;
        }
        wall << t.elapsed();
        const auto out = QString::fromUtf8(p.readAllStandardOutput());
        const auto idx = out.indexOf(u"painted-ms "_s);
        painted << (idx >= 0 ? out.mid(idx + 11).trimmed().toLongLong() : -1);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(painted.begin(), painted.end());
    std::printf("startup: %d runs; process start to exit after first paint: median %lld ms, max %lld ms; "
                "main() to first paint: median %lld ms, max %lld ms (target <= 1000 ms)\n",
                runs, static_cast<long long>(wall[wall.size() / 2]), static_cast<long long>(wall.last()),
                static_cast<long long>(painted[painted.size() / 2]), static_cast<long long>(painted.last()));
    return wall[wall.size() / 2] <= 1000 ? 0 : 2;
}
