using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;

namespace ProxyNet.Aws.Credentials;

/// <summary>
/// The SDK's <see cref="AssumeRoleWithWebIdentityCredentials"/> (token file, retries, session name rules) with the STS
/// client it is given: the one hook the SDK leaves, <see cref="AssumeRoleWithWebIdentityCredentials.CreateClient"/>.
/// </summary>
internal sealed class RoutedWebIdentityCredentials(
    ICoreAmazonSTS sts,
    string webIdentityTokenFile,
    string roleArn,
    string? roleSessionName,
    AssumeRoleWithWebIdentityCredentialsOptions options)
    : AssumeRoleWithWebIdentityCredentials(webIdentityTokenFile, roleArn, roleSessionName, options)
{
    protected override ICoreAmazonSTS CreateClient() => sts;
}
