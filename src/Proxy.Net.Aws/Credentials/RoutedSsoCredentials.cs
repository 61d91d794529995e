using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.SharedInterfaces;

namespace ProxyNet.Aws.Credentials;

/// <summary>
/// IAM Identity Center (SSO) credentials: the cached SSO token (refreshed on the SSO-OIDC client) exchanged for role
/// credentials on the SSO client, both given, where <see cref="SSOAWSCredentials"/> would build both itself.
/// </summary>
internal sealed class RoutedSsoCredentials : RefreshingAWSCredentials
{
    private readonly ICoreAmazonSSO _sso;
    private readonly RoutedSsoTokenManager _tokens;
    private readonly string _accountId;
    private readonly string _roleName;
    private readonly SSOTokenManagerGetTokenOptions _tokenOptions;

    public RoutedSsoCredentials(ICoreAmazonSSO sso, ICoreAmazonSSOOIDC oidc, string accountId, string region, string roleName, string startUrl, SSOAWSCredentialsOptions options, string? cacheFolder)
    {
        _sso = sso;
        _tokens = new RoutedSsoTokenManager(oidc);
        _accountId = accountId;
        _roleName = roleName;
        _tokenOptions = new SSOTokenManagerGetTokenOptions
        {
            ClientName = options.ClientName,
            Region = region,
            SsoVerificationCallback = options.SsoVerificationCallback,
            StartUrl = startUrl,
            Session = options.SessionName,
            Scopes = options.Scopes,
            SupportsGettingNewToken = options.SupportsGettingNewToken,
            PkceFlowOptions = options.PkceFlowOptions,
            CacheFolderLocation = cacheFolder,
        };
    }

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().ConfigureAwait(false).GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var token = await _tokens.GetTokenAsync(_tokenOptions).ConfigureAwait(false);
        var credentials = await _sso.CredentialsFromSsoAccessTokenAsync(_accountId, _roleName, token.AccessToken, null).ConfigureAwait(false);
        return credentials is SSOImmutableCredentials sso
            ? new CredentialsRefreshState(sso, sso.Expiration)
            : throw new InvalidOperationException($"The SSO client ({_sso.GetType().Name}) returned credentials without an expiry.");
    }
}
