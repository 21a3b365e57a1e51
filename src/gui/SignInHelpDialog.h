#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class SignInHelpDialog;
}

namespace tributary {

// Where to get the OAuth client id (and secret) that Sign in with browser needs, per provider:
// the steps in the provider's own admin pages, with the callback URL to register.
class SignInHelpDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignInHelpDialog)

public:
    // provider: "salesforce" or "zendesk" (the page shown first); empty: the first one.
    explicit SignInHelpDialog(const QString &provider = {}, QWidget *parent = nullptr);
    ~SignInHelpDialog() override;

    QString currentProvider() const;
    // The steps for a provider, as shown (rich text).
    static QString helpText(const QString &provider);

private:
    std::unique_ptr<Ui::SignInHelpDialog> m_ui;
};

} // namespace tributary
