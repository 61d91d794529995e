using System.Net;
using ProxyNet.Drivers;
using ProxyNet.Resolution;
using ProxyNet.Tests.Pac;
using static ProxyNet.Tests.Drivers.DriverGrammars;

namespace ProxyNet.Tests.Drivers;

/// <summary>The keys each driver gets for a route, the password kept out of ToString, and when serve is the answer.</summary>
public sealed class DriverProxySettingsTests
{
    private const string Password = "s3cret;pw";

    [Fact]
    public void Snowflake_gets_its_keys_with_the_login_and_ToString_masks_the_password()
    {
        var settings = DriverProxySettings.For(Resolver($"http://alice:{Uri.EscapeDataString(Password)}@proxy.corp:3128", ".corp"), ProxyDriver.Snowflake, "acme.snowflakecomputing.com");

        Assert.Equal(
            $"USEPROXY=true;PROXYHOST=proxy.corp;PROXYPORT=3128;PROXYUSER=alice;PROXYPASSWORD=\"{Password}\";NONPROXYHOSTS=*://corp|*.corp|*://corp:*|*.corp:*",
            settings.ToConnectionString());
        Assert.Equal("USEPROXY=true;PROXYHOST=proxy.corp;PROXYPORT=3128;PROXYUSER=alice;PROXYPASSWORD=***;NONPROXYHOSTS=*://corp|*.corp|*://corp:*|*.corp:*", settings.ToString());
        Assert.Equal("http://proxy.corp:3128", settings.Route.Proxy!.Address);
        Assert.False(settings.ServeRecommended);
    }

    [Fact]
    public void Databricks_gets_the_adbc_proxy_options()
    {
        var settings = DriverProxySettings.For(Resolver($"http://bob:{Uri.EscapeDataString(Password)}@10.0.0.5:8080"), ProxyDriver.DatabricksAdbc, "adb-1.azuredatabricks.net");

        Assert.Equal(
            ["adbc.proxy_options.use_proxy", "adbc.proxy_options.proxy_host", "adbc.proxy_options.proxy_port", "adbc.proxy_options.proxy_auth", "adbc.proxy_options.proxy_uid", "adbc.proxy_options.proxy_pwd"],
            settings.Values.Select(v => v.Key));
        Assert.Equal(["true", "10.0.0.5", "8080", "true", "bob", Password], settings.Values.Select(v => v.Value));
        Assert.DoesNotContain(Password, settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Odbc_gets_Simba_keys_quoted_as_ODBC_quotes()
    {
        var settings = DriverProxySettings.For(Resolver($"http://carol:{Uri.EscapeDataString(Password)}@proxy.corp:3128", "*.internal"), ProxyDriver.Odbc, "adb-1.azuredatabricks.net");

        Assert.Equal($"UseProxy=1;ProxyHost=proxy.corp;ProxyPort=3128;ProxyUID=carol;ProxyPWD={{{Password}}};ProxyIgnoreList=*.internal", settings.ToConnectionString());
        Assert.Equal("UseProxy=1;ProxyHost=proxy.corp;ProxyPort=3128;ProxyUID=carol;ProxyPWD=***;ProxyIgnoreList=*.internal", settings.ToString());
    }

    [Fact]
    public void A_host_NO_PROXY_sends_DIRECT_keeps_the_proxy_for_the_other_hosts_and_names_itself_in_the_bypass_list()
    {
        var settings = DriverProxySettings.For(Resolver("http://proxy.corp:3128", "snowflakecomputing.com"), ProxyDriver.Snowflake, "acme.snowflakecomputing.com");

        Assert.True(settings.Route.IsDirect);
        Assert.Equal("proxy.corp", Value(settings, "PROXYHOST"));
        Assert.True(Snowflake(Value(settings, "NONPROXYHOSTS")!).IsBypassed(new Uri("https://acme.snowflakecomputing.com/")));
        Assert.False(Snowflake(Value(settings, "NONPROXYHOSTS")!).IsBypassed(new Uri("https://sfc-stage.s3.amazonaws.com/")));
    }

    [Fact]
    public void Without_a_proxy_the_driver_is_told_to_use_none()
    {
        var settings = DriverProxySettings.For(ProxyResolver.Create(new ProxyNetOptions { UseEnvironment = false }), ProxyDriver.Snowflake, "acme.snowflakecomputing.com");

        Assert.Equal("USEPROXY=false", settings.ToConnectionString());
        Assert.False(settings.ServeRecommended);
    }

    [Theory]
    [InlineData("https://proxy.corp:3129", "reached over TLS (https://)")]
    [InlineData("socks5://proxy.corp:1080", "a SOCKS proxy")]
    public void A_proxy_the_drivers_cannot_speak_to_gives_no_keys_and_recommends_serve(string proxy, string why)
    {
        foreach (var driver in Enum.GetValues<ProxyDriver>())
        {
            var settings = DriverProxySettings.For(Resolver(proxy), driver, "acme.example.net");

            Assert.Empty(settings.Values);
            Assert.True(settings.ServeRecommended);
            Assert.Contains(why, Assert.Single(settings.ServeReasons), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_passwordless_login_as_the_current_user_recommends_serve()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = "http://proxy.corp:3128", UseDefaultCredentials = true, UseEnvironment = false });

        var settings = DriverProxySettings.For(resolver, ProxyDriver.DatabricksAdbc, "adb-1.azuredatabricks.net");

        Assert.Empty(settings.Values);
        Assert.Contains("current user (Negotiate, NTLM or Kerberos", Assert.Single(settings.ServeReasons), StringComparison.Ordinal);
    }

    [Fact]
    public void A_Negotiate_only_login_is_fine_for_the_dotnet_drivers_and_serve_for_ODBC()
    {
        var resolver = ProxyResolver.Create(new ProxyNetOptions { HttpsProxy = "http://dave:pw@proxy.corp:3128", AuthSchemes = ProxyAuthSchemes.Negotiate | ProxyAuthSchemes.Ntlm, UseEnvironment = false });

        Assert.False(DriverProxySettings.For(resolver, ProxyDriver.Snowflake, "a.example.net").ServeRecommended);
        var odbc = DriverProxySettings.For(resolver, ProxyDriver.Odbc, "a.example.net");
        Assert.True(odbc.ServeRecommended);
        Assert.Contains("Basic is the one login", odbc.ServeReasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failover_list_renders_the_first_proxy_and_recommends_serve()
    {
        var settings = DriverProxySettings.For(Resolver("http://a.corp:3128, http://b.corp:3128"), ProxyDriver.Snowflake, "acme.snowflakecomputing.com");

        Assert.Equal("a.corp", Value(settings, "PROXYHOST"));
        Assert.Contains("tries 2 proxies in turn (http://a.corp:3128, http://b.corp:3128)", Assert.Single(settings.ServeReasons), StringComparison.Ordinal);
    }

    [Fact]
    public void A_PAC_decided_route_recommends_serve_and_says_why()
    {
        var engine = new FakeEngine { Current = new FakeEngine.Script((_, _) => "PROXY pac.corp:8080") };
        var resolver = ProxyResolver.Create(new ProxyNetOptions { PacUrl = "http://wpad.corp/proxy.pac", UseEnvironment = false }, engine);

        var settings = DriverProxySettings.For(resolver, ProxyDriver.Snowflake, "acme.snowflakecomputing.com");

        Assert.Equal("pac.corp", Value(settings, "PROXYHOST"));
        Assert.Contains("a PAC script decides the route per URL (PAC FindProxyForURL returned \"PROXY pac.corp:8080\")", Assert.Single(settings.ServeReasons), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProxyDriver.Snowflake, "USEPROXY=true;PROXYHOST=127.0.0.1;PROXYPORT=3128;PROXYUSER=proxynet;PROXYPASSWORD=***")]
    [InlineData(ProxyDriver.DatabricksAdbc, "adbc.proxy_options.use_proxy=true;adbc.proxy_options.proxy_host=127.0.0.1;adbc.proxy_options.proxy_port=3128;adbc.proxy_options.proxy_auth=true;adbc.proxy_options.proxy_uid=proxynet;adbc.proxy_options.proxy_pwd=***")]
    [InlineData(ProxyDriver.Odbc, "UseProxy=1;ProxyHost=127.0.0.1;ProxyPort=3128;ProxyUID=proxynet;ProxyPWD=***")]
    public void ThroughServe_points_the_driver_at_serve_with_the_token_as_its_password(ProxyDriver driver, string masked)
    {
        var settings = DriverProxySettings.For(Resolver("socks5://proxy.corp:1080", "10.0.0.0/8"), driver, "acme.example.net")
            .ThroughServe(new IPEndPoint(IPAddress.Loopback, 3128), "0123456789abcdef0123");

        Assert.Equal(masked, settings.ToString());
        Assert.Equal(masked.Replace("***", "0123456789abcdef0123", StringComparison.Ordinal), settings.ToConnectionString());
        Assert.Empty(settings.Warnings);
        Assert.False(settings.ServeRecommended);
    }

    [Fact]
    public void A_broken_configuration_throws_with_the_setting_named_and_no_password()
    {
        var resolver = Resolver("http://alice:hunter2@proxy.corp:99999");

        var error = Assert.Throws<ProxyConfigurationException>(() => DriverProxySettings.For(resolver, ProxyDriver.Snowflake, "acme.snowflakecomputing.com"));

        Assert.Contains("HttpsProxy", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
