using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Cli;

/// <summary>
/// doctor's authentication line, run as a process against a proxy that always answers 407: the scheme it predicts
/// follows the endpoint's login (<c>AuthSchemes</c>, <c>UseDefaultCredentials</c>), as the login engine does.
/// </summary>
public sealed class DoctorLoginTests
{
    [Theory]
    [InlineData("Proxy__UseDefaultCredentials=true", "Negotiate, Basic", "offers Negotiate, Basic; Proxy.Net logs in as the current user with Negotiate (the strongest offered)")]
    [InlineData("Proxy__UseDefaultCredentials=true", "Digest, Basic", "offers Digest, Basic, and UseDefaultCredentials (the current user, no password) covers only Negotiate and NTLM")]
    [InlineData("Proxy__Username=u|Proxy__Password=p|Proxy__AuthSchemes=Basic", "Negotiate, Digest, Basic", "offers Negotiate, Digest, Basic; Proxy.Net logs in as 'u' with Basic (the strongest offered that AuthSchemes (Basic) allows)")]
    [InlineData("Proxy__Username=u|Proxy__Password=p|Proxy__AuthSchemes=Negotiate", "Digest, Basic", "offers Digest, Basic, none of which AuthSchemes (Negotiate) allows")]
    [InlineData("", "Digest, Basic", "offers Digest, Basic, and no credentials are configured for it")]
    public async Task The_reported_scheme_follows_the_configured_login(string login, string schemes, string expected)
    {
        await using var proxy = new ScriptedServer(async (s, _) =>
        {
            while (await ScriptedServer.ReadHeadAsync(s) is { Length: > 0 })
            {
                string challenges = string.Concat(schemes.Split(", ").Select(scheme => $"Proxy-Authenticate: {scheme}{(scheme == "Digest" ? " realm=\"r\", nonce=\"n\", qop=\"auth\"" : scheme == "Basic" ? " realm=\"r\"" : string.Empty)}\r\n"));
                await ScriptedServer.WriteAsync(s, $"HTTP/1.1 407 Proxy Authentication Required\r\n{challenges}Content-Length: 0\r\n\r\n");
            }
        });

        var (_, stdout, stderr) = await CliRunner.RunAsync($"HTTPS_PROXY={proxy.Url}|{login}", "doctor", "--timeout", "2");

        Assert.True(stdout.Contains($"authentication: {expected}", StringComparison.Ordinal), stdout + stderr);
    }
}
