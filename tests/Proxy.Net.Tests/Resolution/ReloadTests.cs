using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyNet.DependencyInjection;
using ProxyNet.Resolution;
using ProxyNet.Tests.Fakes;
using ProxyNet.Tests.Pac;

namespace ProxyNet.Tests.Resolution;

/// <summary>
/// Reloads (semantics, section 6): a good change is compiled and logged (event 6), a bad one is refused with every
/// failure in one error event (12) and the last good settings keep serving, warnings are logged (event 3), and a
/// disposed provider stops following the configuration.
/// </summary>
public sealed class ReloadTests
{
    [Fact]
    public void A_good_reload_is_compiled_and_logged_and_a_bad_one_lists_every_failure()
    {
        var (sp, config, logs) = Build(new() { ["Proxy:HttpProxy"] = "http://first:1", ["Proxy:UseEnvironment"] = "false" });
        using (sp)
        {
            var resolver = sp.GetRequiredService<ProxyResolver>();
            Assert.Equal("http://first:1", resolver.Resolve(new Uri("http://example.com/")).Proxy!.Address);

            config["Proxy:HttpProxy"] = "http://second:2";
            config.Reload();
            Assert.Equal("http://second:2", resolver.Resolve(new Uri("http://example.com/")).Proxy!.Address);
            Assert.Single(logs.Lines, l => l.StartsWith("Information ProxyNet.Resolution.ProxySettingsProvider[6] ", StringComparison.Ordinal));

            config["Proxy:Port"] = "x";
            config["Proxy:Enabled"] = "maybe";
            config.Reload();
            Assert.Equal("http://second:2", resolver.Resolve(new Uri("http://example.com/")).Proxy!.Address);
            string rejected = Assert.Single(logs.Lines, l => l.Contains("ProxySettingsProvider[12]", StringComparison.Ordinal));
            Assert.Contains("Proxy:Enabled: 'maybe' is not a boolean (true or false); Proxy:Port: 'x' is not a number", rejected, StringComparison.Ordinal);
            Assert.Single(logs.Lines, l => l.Contains("ProxySettingsProvider[6]", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Warnings_of_the_list_and_of_the_script_are_logged()
    {
        var engine = new FakeEngine { Current = new((_, _) => "PROXY p:1; BOGUS q:2") };
        var (sp, _, logs) = Build(new() { ["Proxy:PacUrl"] = "/etc/proxy.pac", ["Proxy:ExcludedDomains"] = "10.0.0.0/33" }, engine);
        using (sp)
        {
            var resolver = sp.GetRequiredService<ProxyResolver>();
            Assert.Equal("http://p:1", resolver.Resolve(new Uri("http://example.com/")).Proxy!.Address);
            Assert.Single(logs.Lines, l => l.Contains("ProxySettingsProvider[3]", StringComparison.Ordinal) && l.Contains("entry '10.0.0.0/33' ignored", StringComparison.Ordinal));
            Assert.Single(logs.Lines, l => l.Contains("ProxySettingsProvider[3]", StringComparison.Ordinal) && l.Contains("BOGUS", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_disposed_provider_no_longer_follows_the_configuration()
    {
        var (sp, config, _) = Build(new() { ["Proxy:HttpProxy"] = "http://first:1", ["Proxy:UseEnvironment"] = "false" });
        var provider = sp.GetRequiredService<ProxySettingsProvider>();
        sp.Dispose();
        config["Proxy:HttpProxy"] = "http://second:2";
        config.Reload();
        Assert.Equal("http://first:1", provider.Current.Resolve(new Uri("http://example.com/")).Proxy!.Address);
    }

    private static (ServiceProvider Services, IConfigurationRoot Config, ListLoggerProvider Logs) Build(Dictionary<string, string?> values, IProxyAutoConfig? pac = null)
    {
        var logs = new ListLoggerProvider();
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (pac is not null)
        {
            services.AddSingleton(pac);
        }

        services.AddProxyNet(config.GetSection("Proxy"));
        return (services.BuildServiceProvider(), config, logs);
    }
}
