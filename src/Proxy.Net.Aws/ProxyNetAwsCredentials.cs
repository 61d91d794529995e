using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;
using ProxyNet.Aws.Credentials;

namespace ProxyNet.Aws;

/// <summary>
/// AWS credentials that refresh on the STS, SSO and SSO-OIDC clients you give them, so the credential requests take
/// the same route as the data. The SDK's own <see cref="AssumeRoleAWSCredentials"/>, <see cref="SSOAWSCredentials"/>
/// and <see cref="AssumeRoleWithWebIdentityCredentials"/> build those clients themselves, with no
/// <see cref="ClientConfig.HttpClientFactory"/>: behind a proxy that needs a login their token requests go DIRECT or get a 407
/// while the data goes through (aws/aws-sdk-net#4027).
/// </summary>
/// <example>
/// <code>
/// var route = new ProxyNetAwsHttpClientFactory(httpClientFactory, "s3");
/// var sts = new AmazonSecurityTokenServiceClient(sourceCredentials, new AmazonSecurityTokenServiceConfig { HttpClientFactory = route });
/// var s3 = new AmazonS3Client(ProxyNetAwsCredentials.AssumeRole(sts, roleArn, "etl"), new AmazonS3Config { HttpClientFactory = route });
/// </code>
/// </example>
/// <remarks>
/// The clients are taken as the SDK's own interfaces (<see cref="ICoreAmazonSTS"/>, <see cref="ICoreAmazonSSO"/>,
/// <see cref="ICoreAmazonSSOOIDC"/>), which <c>AmazonSecurityTokenServiceClient</c>, <c>AmazonSSOClient</c> and
/// <c>AmazonSSOOIDCClient</c> implement: nothing is loaded by reflection and this package needs only AWSSDK.Core. The
/// credentials never dispose the clients; they stay the caller's. An SDK client whose configuration has no
/// <see cref="ProxyNetAwsHttpClientFactory"/>, or options with <c>ProxySettings</c>, are refused: both mean a
/// credential request that would not follow the named client's route.
/// </remarks>
public static class ProxyNetAwsCredentials
{
    /// <summary>Credentials of an assumed role, refreshed (15 minutes before they expire) by <c>AssumeRole</c> on <paramref name="sts"/>.</summary>
    /// <param name="sts">An STS client made with the source credentials and a <see cref="ProxyNetAwsHttpClientFactory"/>.</param>
    /// <param name="roleArn">The role to assume.</param>
    /// <param name="roleSessionName">The session name STS records.</param>
    /// <param name="options">External id, MFA, policy, duration, tags (without <c>ProxySettings</c>).</param>
    /// <exception cref="ArgumentException">The client is not routed by Proxy.Net, or the options set a proxy of their own.</exception>
    public static AWSCredentials AssumeRole(ICoreAmazonSTS sts, string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions? options = null)
    {
        RequireRouted(sts, nameof(sts));
        ArgumentException.ThrowIfNullOrEmpty(roleArn);
        ArgumentException.ThrowIfNullOrEmpty(roleSessionName);
        RefuseProxy(options?.ProxySettings, nameof(options));
        return new RoutedAssumeRoleCredentials(sts, roleArn, roleSessionName, options ?? new AssumeRoleAWSCredentialsOptions());
    }

    /// <summary>
    /// Credentials of a role assumed with an OIDC token read from a file (EKS IRSA, GitHub Actions), refreshed by
    /// <c>AssumeRoleWithWebIdentity</c> on <paramref name="sts"/>.
    /// </summary>
    /// <param name="sts">An STS client with a <see cref="ProxyNetAwsHttpClientFactory"/> (its credentials are not used: the call is unsigned).</param>
    /// <param name="webIdentityTokenFile">The absolute path of the token file (<c>AWS_WEB_IDENTITY_TOKEN_FILE</c>).</param>
    /// <param name="roleArn">The role to assume (<c>AWS_ROLE_ARN</c>).</param>
    /// <param name="roleSessionName">The session name (<c>AWS_ROLE_SESSION_NAME</c>); null for a generated one.</param>
    /// <param name="options">Policy, duration (without <c>ProxySettings</c>).</param>
    /// <exception cref="ArgumentException">The client is not routed by Proxy.Net, the options set a proxy, or the SDK rejects an argument.</exception>
    public static AWSCredentials AssumeRoleWithWebIdentity(ICoreAmazonSTS sts, string webIdentityTokenFile, string roleArn, string? roleSessionName = null, AssumeRoleWithWebIdentityCredentialsOptions? options = null)
    {
        RequireRouted(sts, nameof(sts));
        RefuseProxy(options?.ProxySettings, nameof(options));
        return new RoutedWebIdentityCredentials(sts, webIdentityTokenFile, roleArn, roleSessionName, options ?? new AssumeRoleWithWebIdentityCredentialsOptions());
    }

    /// <summary>
    /// IAM Identity Center (SSO) credentials: the SSO token from the SDK's cache (<c>~/.aws/sso/cache</c>, written by
    /// <c>aws sso login</c>), refreshed on <paramref name="oidc"/> when it expires, exchanged for role credentials by
    /// <c>GetRoleCredentials</c> on <paramref name="sso"/>.
    /// </summary>
    /// <param name="sso">An SSO client (the portal of <paramref name="region"/>) with a <see cref="ProxyNetAwsHttpClientFactory"/>.</param>
    /// <param name="oidc">An SSO-OIDC client (the token service of <paramref name="region"/>) with a <see cref="ProxyNetAwsHttpClientFactory"/>.</param>
    /// <param name="accountId">The AWS account (<c>sso_account_id</c>).</param>
    /// <param name="region">The Identity Center region (<c>sso_region</c>).</param>
    /// <param name="roleName">The permission set (<c>sso_role_name</c>).</param>
    /// <param name="startUrl">The portal's start URL (<c>sso_start_url</c>).</param>
    /// <param name="options">Session name, scopes, login callback (without <c>ProxySettings</c>).</param>
    /// <param name="cacheFolder">The token cache folder; null for the SDK's (<c>~/.aws/sso/cache</c>).</param>
    /// <exception cref="ArgumentException">A client is not routed by Proxy.Net, or the options set a proxy of their own.</exception>
    public static AWSCredentials Sso(ICoreAmazonSSO sso, ICoreAmazonSSOOIDC oidc, string accountId, string region, string roleName, string startUrl, SSOAWSCredentialsOptions? options = null, string? cacheFolder = null)
    {
        RequireRouted(sso, nameof(sso));
        RequireRouted(oidc, nameof(oidc));
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(roleName);
        ArgumentException.ThrowIfNullOrEmpty(startUrl);
        RefuseProxy(options?.ProxySettings, nameof(options));
        return new RoutedSsoCredentials(sso, oidc, accountId, region, roleName, startUrl, options ?? new SSOAWSCredentialsOptions(), cacheFolder);
    }

    private static void RequireRouted(object client, string parameter)
    {
        ArgumentNullException.ThrowIfNull(client, parameter);
        if (client is AmazonServiceClient { Config.HttpClientFactory: not ProxyNetAwsHttpClientFactory })
        {
            throw new ArgumentException(
                $"The {client.GetType().Name} has no ProxyNetAwsHttpClientFactory, so its credential requests would not follow a Proxy.Net route: " +
                "make it with a config whose HttpClientFactory = new ProxyNetAwsHttpClientFactory(httpClientFactory, \"name\").",
                parameter);
        }
    }

    private static void RefuseProxy(IWebProxy? proxy, string parameter)
    {
        if (proxy is not null)
        {
            throw new ArgumentException(
                "The credential options set ProxySettings, which these credentials never use: the request goes the way of the client's ProxyNetAwsHttpClientFactory.",
                parameter);
        }
    }
}
