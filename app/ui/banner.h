#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace Nebula::Console {

// An inline message bar (KMessageWidget-like): what went wrong or what is going on, without a
// modal box. Optionally one action button ("Retry", "Open run").
class Banner final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Success, Warning, Error };

    explicit Banner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text, const QString &actionText = {});
    void showError(const QString &text, const QString &actionText = {}) { showMessage(Kind::Error, text, actionText); }
    void showInfo(const QString &text) { showMessage(Kind::Info, text); }
    QString text() const;
    Kind kind() const { return m_kind; }

Q_SIGNALS:
    void actionTriggered();

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void restyle();
    QColor accent() const;

    Kind m_kind = Kind::Info;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
};

} // namespace Nebula::Console
