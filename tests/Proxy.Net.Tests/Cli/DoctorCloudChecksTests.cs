using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ProxyNet.Tests.Cli;

/// <summary>
/// <c>proxynet doctor</c>'s route comparisons, run as its own process: Kubernetes services against NO_PROXY, and each
/// cloud's credential endpoints against its data endpoint (the half-proxied failure, aws/aws-sdk-net#4027).
/// </summary>
public sealed class DoctorCloudChecksTests
{
    private static readonly int Dead = DeadPort();

    [Fact]
    public async Task In_a_pod_a_NO_PROXY_without_svc_entries_warns_and_names_what_to_add()
    {
        var checks = await DoctorAsync($"KUBERNETES_SERVICE_HOST=10.96.0.1|KUBERNETES_SERVICE_PORT=443|NO_PROXY=localhost,.cluster.local");

        var kubernetes = Assert.Single(checks, c => c.Check == "kubernetes");
        Assert.Equal("warn", kubernetes.Verdict);
        Assert.Contains($"kubernetes.default.svc goes through http://127.0.0.1:{Dead}", kubernetes.Detail, StringComparison.Ordinal);
        Assert.Contains("Add .svc, 10.96.0.1 to NO_PROXY", kubernetes.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(".svc.cluster.local goes", kubernetes.Detail, StringComparison.Ordinal);
        Assert.Contains(".svc.cluster.local must be in the list", kubernetes.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_pod_with_the_cluster_in_NO_PROXY_the_line_is_ok_and_outside_a_pod_there_is_none()
    {
        var checks = await DoctorAsync("KUBERNETES_SERVICE_HOST=10.96.0.1|NO_PROXY=.svc,.svc.cluster.local,10.96.0.0/12");
        Assert.Equal("ok", Assert.Single(checks, c => c.Check == "kubernetes").Verdict);

        checks = await DoctorAsync("KUBERNETES_SERVICE_HOST=|NO_PROXY=localhost");
        Assert.DoesNotContain(checks, c => c.Check == "kubernetes");
    }

    [Fact]
    public async Task AWS_tokens_DIRECT_while_data_is_proxied_warns_naming_both_hosts_routes_and_the_entry()
    {
        var checks = await DoctorAsync("AWS_REGION=eu-west-1|NO_PROXY=sts.eu-west-1.amazonaws.com,.oidc.eu-west-1.amazonaws.com");

        var aws = Assert.Single(checks, c => c.Check == "AWS credentials");
        Assert.Equal("warn", aws.Verdict);
        Assert.Contains($"data at s3.amazonaws.com goes through http://127.0.0.1:{Dead} (HTTPS_PROXY) but credentials from sts.eu-west-1.amazonaws.com go DIRECT (NO_PROXY entry sts.eu-west-1.amazonaws.com)", aws.Detail, StringComparison.Ordinal);
        Assert.Contains("credentials from oidc.eu-west-1.amazonaws.com go DIRECT (NO_PROXY entry .oidc.eu-west-1.amazonaws.com)", aws.Detail, StringComparison.Ordinal);
        Assert.Contains("remove sts.eu-west-1.amazonaws.com from NO_PROXY", aws.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("portal.sso.eu-west-1.amazonaws.com go", aws.Detail, StringComparison.Ordinal);
        Assert.Contains("aws/aws-sdk-net#4027", aws.Detail, StringComparison.Ordinal);
        Assert.Equal("ok", Assert.Single(checks, c => c.Check == "Azure credentials").Verdict);
    }

    [Fact]
    public async Task Data_DIRECT_while_tokens_are_proxied_warns_for_Azure_and_Google()
    {
        var checks = await DoctorAsync("AZURE_STORAGE_ACCOUNT=acme|NO_PROXY=.blob.core.windows.net,storage.googleapis.com");

        var azure = Assert.Single(checks, c => c.Check == "Azure credentials");
        Assert.Equal("warn", azure.Verdict);
        Assert.Contains("data at acme.blob.core.windows.net goes DIRECT (NO_PROXY entry .blob.core.windows.net) but credentials from login.microsoftonline.com go through", azure.Detail, StringComparison.Ordinal);
        Assert.Contains("add login.microsoftonline.com to NO_PROXY beside .blob.core.windows.net", azure.Detail, StringComparison.Ordinal);
        var google = Assert.Single(checks, c => c.Check == "Google Cloud credentials");
        Assert.Contains("credentials from oauth2.googleapis.com go through", google.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cloud_metadata_endpoints_are_not_compared()
    {
        var checks = await DoctorAsync("NO_PROXY=localhost");

        Assert.DoesNotContain(checks, c => c.Detail.Contains("169.254", StringComparison.Ordinal) || c.Detail.Contains("metadata.google.internal", StringComparison.Ordinal));
        Assert.All(checks.Where(c => c.Check.EndsWith(" credentials", StringComparison.Ordinal)), c => Assert.Equal("ok", c.Verdict));
    }

    /// <summary>doctor --json with HTTPS_PROXY on a port nobody listens on (its TCP check fails fast), as check records.</summary>
    private static async Task<List<(string Check, string Verdict, string Detail)>> DoctorAsync(string environment)
    {
        var (_, stdout, stderr) = await CliRunner.RunAsync($"HTTPS_PROXY=http://127.0.0.1:{Dead}|HTTP_PROXY=http://127.0.0.1:{Dead}|{environment}", "doctor", "--json", "--timeout", "2");
        using var report = JsonDocument.Parse(stdout.Length > 0 ? stdout : throw new InvalidOperationException(stderr));
        return
        [
            .. report.RootElement.GetProperty("checks").EnumerateArray().Select(c => (
                c.GetProperty("check").GetString()!,
                c.GetProperty("verdict").GetString()!,
                c.GetProperty("detail").GetString()!)),
        ];
    }

    private static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
