using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;

namespace ProxyNet.Tests.Resolution;

/// <summary>
/// Configuration errors name the key as the user wrote it, under the section's real path (<c>Bad:type</c>,
/// <c>externalProxy:sslCA</c>), aliases included; a section that does not exist is said at start.
/// </summary>
public sealed class WrittenKeysTests
{
    [Theory]
    [InlineData("Bad", """{"Bad":{"host":"p","type":"htps"}}""", "Bad:type: 'htps' is not a proxy type (use http, https, socks5, socks5h, socks4 or socks4a)")]
    [InlineData("Bad", """{"Bad":{"Host":"p","Port":70000}}""", "Bad:Port: port 70000 is out of range")]
    [InlineData("Bad", """{"Bad":{"port":"abc","host":"p"}}""", "Bad:port: 'abc' is not a number")]
    [InlineData("Bad", """{"Bad":{"httpsProxy":"http//p:3128"}}""", "Bad:httpsProxy: not a proxy URL: the ':' after 'http' is missing (write http://p:3128)")]
    [InlineData("Bad", """{"Bad":{"host":"bad host"}}""", "Bad:host: the proxy address holds a space ('bad host')")]
    [InlineData("Bad", """{"Bad":{"Host":"p","SslCA":"/nope"}}""", "Bad:SslCA: '/nope' is neither a file, a directory nor inline PEM")]
    [InlineData("Bad", """{"Bad":{"Host":"p","Tls":{"originCaCertificates":"/nope"}}}""", "Bad:Tls:originCaCertificates: '/nope' is neither a file, a directory nor inline PEM")]
    [InlineData("externalProxy", """{"externalProxy":{"enabled":true,"host":"p","port":3128,"sslCA":"/nope"}}""", "externalProxy:sslCA: '/nope' is neither a file, a directory nor inline PEM")]
    [InlineData("externalProxy", """{"externalProxy":{"enabled":"yes","host":"p"}}""", "externalProxy:enabled: 'yes' is not a boolean (true or false)")]
    [InlineData("a:b", """{"a":{"b":{"pacUrl":"gopher://x/p.pac"}}}""", "a:b:pacUrl: 'gopher://x/p.pac' is not an http://, https:// or file:// URL or a file path")]
    public void An_error_names_the_key_as_written_with_the_section_path(string path, string json, string expected)
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var options = new ProxyNetOptions();
        ProxyNetOptionsBinder.Bind(config.GetSection(path), options);

        var settings = ProxySettings.Compile(options, Env.Parse(string.Empty), null, null);
        var decision = settings.Resolve(new Uri("https://example.com/"));

        string all = string.Join(" | ", settings.Errors.Append(decision.Error ?? string.Empty));
        Assert.Contains(expected, all, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_set_in_code_keep_the_Proxy_prefix()
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { Host = "p", Type = "htps" }, Env.Parse(string.Empty), null, null);
        Assert.Equal("Proxy:Type: 'htps' is not a proxy type (use http, https, socks5, socks5h, socks4 or socks4a)", settings.Resolve(new Uri("http://example.com/")).Error);
    }

    [Fact]
    public void A_section_that_does_not_exist_is_warned_about_once_at_start_naming_its_path()
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""{"Proxy":{"Host":"p"}}"""))).Build();
        using var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
        services.AddProxyNet(config.GetSection("Proxxy"));
        using var provider = services.BuildServiceProvider();

        _ = provider.GetRequiredService<ProxyResolver>().Resolve(new Uri("http://example.com/"));
        _ = provider.GetRequiredService<ProxyResolver>().Resolve(new Uri("http://example.org/"));

        var warning = Assert.Single(logs.Lines, l => l.Contains("Proxxy", StringComparison.Ordinal));
        Assert.Contains("The configuration section 'Proxxy' given to AddProxyNet does not exist", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_that_exists_is_not_warned_about()
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""{"Proxy":{"Host":"p"}}"""))).Build();
        Assert.Null(ProxySettingsProvider.MissingSection(config.GetSection("Proxy")));
        Assert.NotNull(ProxySettingsProvider.MissingSection(config.GetSection("Proxxy")));
    }
}
