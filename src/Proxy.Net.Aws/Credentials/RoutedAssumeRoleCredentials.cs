using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;

namespace ProxyNet.Aws.Credentials;

/// <summary>
/// AssumeRole credentials that refresh on the STS client they are given, not on one the SDK makes for itself
/// (<see cref="AssumeRoleAWSCredentials"/> builds its own, which no <see cref="ClientConfig.HttpClientFactory"/> reaches).
/// </summary>
internal sealed class RoutedAssumeRoleCredentials : RefreshingAWSCredentials
{
    private readonly ICoreAmazonSTS _sts;
    private readonly string _roleArn;
    private readonly string _roleSessionName;
    private readonly AssumeRoleAWSCredentialsOptions _options;

    public RoutedAssumeRoleCredentials(ICoreAmazonSTS sts, string roleArn, string roleSessionName, AssumeRoleAWSCredentialsOptions options)
    {
        _sts = sts;
        _roleArn = roleArn;
        _roleSessionName = roleSessionName;
        _options = options;

        // The SDK's own margin for AssumeRole: refresh 15 minutes before the session ends.
        PreemptExpiryTime = TimeSpan.FromMinutes(15);
    }

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        State(_sts.CredentialsFromAssumeRoleAuthentication(_roleArn, _roleSessionName, _options));

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync() =>
        State(await _sts.CredentialsFromAssumeRoleAuthenticationAsync(_roleArn, _roleSessionName, _options).ConfigureAwait(false));

    private static CredentialsRefreshState State(AssumeRoleImmutableCredentials credentials) => new(credentials, credentials.Expiration);
}
