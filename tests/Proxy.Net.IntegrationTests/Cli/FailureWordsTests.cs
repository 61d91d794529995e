using ProxyNet.IntegrationTests.Routing;
using ProxyNet.IntegrationTests.Servers;

namespace ProxyNet.IntegrationTests.Cli;

/// <summary>
/// What a newcomer sees when the proxy setting or the proxy is wrong, run as the tool against the real squid: one line
/// naming the proxy with the variable that named it, what happened, and what to do; never the runtime's raw text,
/// never the password; a value that is almost a URL is an error, not a host called "http".
/// </summary>
[Collection(RealProxiesCollection.Name)]
public sealed class FailureWordsTests(RealProxies servers)
{
    [Theory]
    [InlineData("http//127.0.0.1:3128", "HTTPS_PROXY: not a proxy URL: the ':' after 'http' is missing (write http://127.0.0.1:3128)")]
    [InlineData("http:/127.0.0.1:3128", "HTTPS_PROXY: not a proxy URL: 'http:' is followed by one '/' instead of two (write http://127.0.0.1:3128)")]
    [InlineData("http:127.0.0.1:3128", "HTTPS_PROXY: not a proxy URL: the '//' after 'http:' is missing (write http://127.0.0.1:3128)")]
    [InlineData("http://", "HTTPS_PROXY: the value is only the scheme 'http', with no proxy host (write http://HOST:PORT)")]
    [InlineData("http://proxy .corp:3128", "HTTPS_PROXY: the proxy address holds a space ('proxy .corp'); write one proxy URL without spaces, like http://proxy:3128")]
    public async Task An_almost_URL_is_a_configuration_error_in_get_and_a_failure_in_doctor(string value, string expected)
    {
        var (exit, _, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY={value}", "get", "https://example.invalid/");
        Assert.Equal(1, exit);
        Assert.Equal($"proxynet: configuration error: {expected}", stderr.Trim());

        var (doctorExit, doctorOut, _) = await GetCommandTests.RunAsync($"HTTPS_PROXY={value}", "doctor", "--timeout", "2");
        Assert.NotEqual(0, doctorExit);
        Assert.Contains($"[FAIL] https proxy: {expected}", doctorOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_on_the_CONNECT_path_says_what_squid_offered_and_hides_the_password()
    {
        string proxy = $"http://{RealProxies.User}:wrong-hunter2@127.0.0.1:{servers.AuthSquid.Port}";
        var (exit, stdout, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY={proxy}", "get", $"{servers.TlsOrigin.Url}/");
        Assert.Equal(4, exit);
        Assert.Equal(
            $"proxynet: {servers.TlsOrigin.Url}/: Proxy http://127.0.0.1:{servers.AuthSquid.Port} (HTTPS_PROXY) rejected the credentials for user '{RealProxies.User}' (407 Proxy Authentication Required) for 127.0.0.1:{servers.TlsOrigin.Port}: it offered Basic; tried Basic as user '{RealProxies.User}' (from the user information in HTTPS_PROXY); the proxy rejected the Basic login of user '{RealProxies.User}' (wrong password or unknown user). Check the user name and password; inside a URL, '@', ':' and '/' in them must be percent-encoded",
            stderr.Trim());
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("failed with status code", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_credentials_on_the_CONNECT_path_says_none_were_sent_and_where_to_put_them()
    {
        var (exit, _, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY=http://127.0.0.1:{servers.AuthSquid.Port}", "get", $"{servers.TlsOrigin.Url}/");
        Assert.Equal(4, exit);
        Assert.Contains($"Proxy http://127.0.0.1:{servers.AuthSquid.Port} (HTTPS_PROXY) requires a login (407 Proxy Authentication Required) for 127.0.0.1:{servers.TlsOrigin.Port}, and no credentials were sent: it offered Basic. Put the user name and password in HTTPS_PROXY", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("refused the credentials", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https")]
    [InlineData("http")]
    public async Task A_dead_or_unresolvable_proxy_is_named_with_its_variable(string scheme)
    {
        string variable = scheme == "https" ? "HTTPS_PROXY" : "HTTP_PROXY";
        string url = scheme == "https" ? $"{servers.TlsOrigin.Url}/" : $"{servers.Origin.IpUrl}/hello";
        int dead = ServerProcess.FreePort();

        var (exit, _, stderr) = await GetCommandTests.RunAsync($"{variable}=http://127.0.0.1:{dead}", "get", url);
        Assert.Equal(4, exit);
        Assert.Contains($"Proxy http://127.0.0.1:{dead} ({variable}) refused the connection: nothing listens on port {dead} of 127.0.0.1", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await GetCommandTests.RunAsync($"{variable}=http://no-such-proxy.invalid:3128", "get", url);
        Assert.Equal(4, exit);
        Assert.Contains($"Proxy http://no-such-proxy.invalid:3128 ({variable}) does not resolve: DNS knows no host 'no-such-proxy.invalid' (check the spelling in {variable}, or the resolver)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_proxy_is_named_in_the_timeout()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        int port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;

        var (exit, _, stderr) = await GetCommandTests.RunAsync($"HTTPS_PROXY=http://127.0.0.1:{port}", "get", "https://example.invalid/", "--timeout", "2");
        Assert.NotEqual(0, exit);
        Assert.Contains($"no answer within 2 s through proxy http://127.0.0.1:{port} (HTTPS_PROXY): the proxy, or the site behind it, did not answer", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"externalProxy":{"enabled":true,"host":"127.0.0.1","port":3128,"type":"htps"}}""", "externalProxy:type: 'htps' is not a proxy type (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("""{"externalProxy":{"enabled":true,"host":"127.0.0.1","port":3128,"sslCA":"/nope"}}""", "externalProxy:sslCA: '/nope' is neither a file, a directory nor inline PEM")]
    [InlineData("""{"Proxy":{"httpsProxy":"http:/127.0.0.1:3128"}}""", "Proxy:httpsProxy: not a proxy URL: 'http:' is followed by one '/' instead of two (write http://127.0.0.1:3128)")]
    public async Task A_config_file_error_names_the_key_as_written(string json, string expected)
    {
        string file = Path.Combine(Path.GetTempPath(), $"proxynet-words-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var (exit, stdout, stderr) = await GetCommandTests.RunAsync(string.Empty, "resolve", "--config", file, "https://example.com/");
            Assert.Equal(1, exit);
            Assert.Contains(expected, stdout + stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_config_file_without_a_Proxy_or_externalProxy_object_is_refused_naming_what_it_has()
    {
        string file = Path.Combine(Path.GetTempPath(), $"proxynet-words-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"Proxxy":{"Host":"p"}}""");
        try
        {
            var (exit, _, stderr) = await GetCommandTests.RunAsync(string.Empty, "resolve", "--config", file, "https://example.com/");
            Assert.Equal(2, exit);
            Assert.Contains($"--config {file}: no top-level \"Proxy\" object (or CARTO's \"externalProxy\"); the file has \"Proxxy\"", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
