using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>Semantics, section 9: cloud metadata endpoints are never proxied unless the preset is turned off.</summary>
public sealed class CloudMetadataPresetTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254")]
    [InlineData("http://169.254.170.2/v2/credentials/x", "169.254.170.2")]
    [InlineData("http://[fd00:ec2::254]/latest/api/token", "fd00:ec2::254")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal")]
    [InlineData("http://Metadata.Google.Internal./computeMetadata/v1/", "metadata.google.internal")]
    public void Metadata_endpoints_go_direct_with_the_preset_named_even_with_HTTP_PROXY_set(string url, string host)
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { HttpProxy = "http://proxy.corp:3128" }, n => n == "HTTP_PROXY" ? "http://env:1" : null, null, null);

        var decision = settings.Resolve(new Uri(url));

        Assert.True(decision.IsDirect);
        Assert.Equal($"cloud metadata preset ({host})", decision.Reason);
    }

    [Fact]
    public void The_preset_can_be_turned_off_and_binds_from_configuration()
    {
        var off = Section.Bind("""{"Proxy":{"HttpProxy":"http://proxy.corp:3128","BypassCloudMetadata":false}}""");
        var decision = ProxySettings.Compile(off, _ => null, null, null).Resolve(new Uri("http://169.254.169.254/"));

        Assert.False(off.BypassCloudMetadata);
        Assert.Equal("http://proxy.corp:3128", decision.Proxy!.Address);
    }

    [Fact]
    public void Other_link_local_hosts_are_routed_as_usual()
    {
        var settings = ProxySettings.Compile(new ProxyNetOptions { HttpProxy = "http://proxy.corp:3128" }, _ => null, null, null);

        Assert.Equal("http://proxy.corp:3128", settings.Resolve(new Uri("http://169.254.169.253/")).Proxy!.Address);
    }
}
