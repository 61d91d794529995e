using System.Net;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.SharedInterfaces;
using Amazon.Util;
using Amazon.Util.Internal;

namespace ProxyNet.Aws.Credentials;

/// <summary>
/// The SDK's SSO token cache and refresh, on the SSO-OIDC client it is given: the device-code and refresh calls use
/// it already, the PKCE login would build its own client, so that one is overridden too.
/// </summary>
internal sealed class RoutedSsoTokenManager : SSOTokenManager
{
    private readonly ICoreAmazonSSOOIDC _oidc;

    public RoutedSsoTokenManager(ICoreAmazonSSOOIDC oidc)
        : base(oidc, new SSOTokenFileCache(CryptoUtilFactory.CryptoInstance, new FileRetriever(), new DirectoryRetriever()))
    {
        _oidc = oidc;
    }

    protected override ICoreAmazonSSOOIDC_V2 CreateSSOOIDC_V2Client(string region, IWebProxy? proxySettings = null) =>
        _oidc as ICoreAmazonSSOOIDC_V2
        ?? throw new InvalidOperationException(
            $"The SSO-OIDC client ({_oidc.GetType().Name}) cannot run the PKCE login: pass an AmazonSSOOIDCClient (AWSSDK.SSOOIDC 4.x).");
}
