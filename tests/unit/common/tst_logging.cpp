#include "common/logging.h"

#include <spdlog/spdlog.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;

class TestLogging final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonLinesAreOneObjectPerLine();
    void levels();
    void escaping();
};

void TestLogging::jsonLinesAreOneObjectPerLine()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"log.jsonl"_s);
    Nebula::Log::setup({spdlog::level::debug, Nebula::Log::Format::Json, file, false});
    auto log = Nebula::Log::get("test.area");
    log->info("workflow {} started", "resource/demo");
    log->warn("line with \"quotes\"\nand a newline");
    qWarning("from Qt");
    log->debug("debug line");
    spdlog::apply_all([](const auto &l) { l->flush(); });

    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto lines = f.readAll().split('\n');
    QCOMPARE(lines.size(), 5); // four objects + the empty string after the last newline
    for (int i = 0; i < 4; ++i) {
        QJsonParseError error{};
        const auto doc = QJsonDocument::fromJson(lines[i], &error);
        QVERIFY2(error.error == QJsonParseError::NoError, lines[i].constData());
        QVERIFY(doc.object().contains(u"ts"_s));
    }
    const auto first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value(u"logger"_s).toString(), u"test.area"_s);
    QCOMPARE(first.value(u"level"_s).toString(), u"info"_s);
    QCOMPARE(first.value(u"msg"_s).toString(), u"workflow resource/demo started"_s);
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value(u"msg"_s).toString(),
             u"line with \"quotes\"\nand a newline"_s);
    QCOMPARE(QJsonDocument::fromJson(lines[2]).object().value(u"logger"_s).toString(), u"qt"_s);
    Nebula::Log::setup({});
}

void TestLogging::levels()
{
    spdlog::level::level_enum level{};
    QVERIFY(Nebula::Log::parseLevel(u"DEBUG"_s, &level));
    QCOMPARE(level, spdlog::level::debug);
    QVERIFY(Nebula::Log::parseLevel(u"warning"_s, &level));
    QCOMPARE(level, spdlog::level::warn);
    QVERIFY(!Nebula::Log::parseLevel(u"loud"_s, &level));
}

void TestLogging::escaping()
{
    QCOMPARE(Nebula::Log::jsonEscape("a\tb\x01"), std::string("a\\tb\\u0001"));
}

QTEST_APPLESS_MAIN(TestLogging)
#include "tst_logging.moc"
