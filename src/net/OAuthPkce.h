#pragma once

#include <QString>

namespace tributary {

// PKCE (RFC 7636) with the S256 method: Qt 6.4's QOAuth2AuthorizationCodeFlow has none, so the
// sign-in adds code_challenge / code_verifier itself.
namespace OAuthPkce {

// 32 random bytes from the system's CSPRNG, base64url without padding: 43 characters.
QString newVerifier();
// base64url(SHA-256(verifier)) without padding.
QString challengeFor(const QString &verifier);
// A random value for the `state` parameter (128 bits, base64url).
QString newState();

} // namespace OAuthPkce

} // namespace tributary
