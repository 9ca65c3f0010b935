// The run view's log pane with 100,000 lines: the model-backed QListView (uniform item sizes) the
// console uses, against a QPlainTextEdit with maximumBlockCount, appended in batches of 1,000 as
// polls deliver them, then scrolled.
#include "models/logmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QListView>
#include <QPlainTextEdit>
#include <QScrollBar>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using Nebula::Console::LogModel;

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    constexpr int Lines = 100000, Batch = 1000;
    const auto now = QDateTime::currentDateTimeUtc();
    const auto text = [](int i) { return u"terraform_data.instance[%1]: Still creating... [%2s elapsed]"_s.arg(i).arg(i % 600); };

    LogModel model;
    QListView list;
    list.setModel(&model);
    list.setUniformItemSizes(true);
    list.setLayoutMode(QListView::Batched);
    list.setBatchSize(2000);
    list.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    list.resize(900, 400);
    list.show();
    QCoreApplication::processEvents();
    QElapsedTimer t;
    t.start();
    qint64 worstBatch = 0;
    for (int b = 0; b < Lines / Batch; ++b) {
        QElapsedTimer bt;
        bt.start();
        QList<LogModel::Line> lines;
        lines.reserve(Batch);
        for (int i = 0; i < Batch; ++i)
            lines << LogModel::Line{now, LogModel::Level::Info, u"apply"_s, text(b * Batch + i)};
        model.append(lines);
        list.scrollToBottom();
        list.viewport()->repaint();
        worstBatch = std::max(worstBatch, bt.elapsed());
    }
    const qint64 listAppend = t.elapsed();
    t.restart();
    for (int i = 0; i <= 100; ++i) {
        list.verticalScrollBar()->setValue(list.verticalScrollBar()->maximum() * i / 100);
        list.viewport()->repaint();
    }
    const qint64 listScroll = t.elapsed();

    QPlainTextEdit edit;
    edit.setReadOnly(true);
    edit.setMaximumBlockCount(Lines);
    edit.setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit.resize(900, 400);
    edit.show();
    QCoreApplication::processEvents();
    t.restart();
    qint64 worstEditBatch = 0;
    for (int b = 0; b < Lines / Batch; ++b) {
        QElapsedTimer bt;
        bt.start();
        QStringList lines;
        for (int i = 0; i < Batch; ++i)
            lines << u"09:00:00  apply     "_s + text(b * Batch + i);
        edit.appendPlainText(lines.join(u'\n'));
        edit.verticalScrollBar()->setValue(edit.verticalScrollBar()->maximum());
        edit.viewport()->repaint();
        worstEditBatch = std::max(worstEditBatch, bt.elapsed());
    }
    const qint64 editAppend = t.elapsed();
    t.restart();
    for (int i = 0; i <= 100; ++i) {
        edit.verticalScrollBar()->setValue(edit.verticalScrollBar()->maximum() * i / 100);
        edit.viewport()->repaint();
    }
    const qint64 editScroll = t.elapsed();
    std::printf("log pane, %d lines in batches of %d:\n"
                "  QListView + LogModel:        append+paint %lld ms total (worst batch %lld ms), 101 scroll repaints %lld ms\n"
                "  QPlainTextEdit (maxBlocks):  append+paint %lld ms total (worst batch %lld ms), 101 scroll repaints %lld ms\n",
                Lines, Batch, static_cast<long long>(listAppend), static_cast<long long>(worstBatch),
                static_cast<long long>(listScroll), static_cast<long long>(editAppend),
                static_cast<long long>(worstEditBatch), static_cast<long long>(editScroll));
    return 0;
}
