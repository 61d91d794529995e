using System.Text;
using Microsoft.Extensions.Configuration;
using ProxyNet.Resolution;

namespace ProxyNet.Tests.Resolution;

/// <summary>Binds the "Proxy" section of a JSON text the way the host does, and compiles it with a fake environment.</summary>
internal static class Section
{
    /// <summary>Binds the "Proxy" section of <paramref name="json"/> onto <paramref name="options"/> (new options when null).</summary>
    public static ProxyNetOptions Bind(string json, ProxyNetOptions? options = null)
    {
        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        options ??= new ProxyNetOptions();
        ProxyNetOptionsBinder.Bind(config.GetSection("Proxy"), options);
        return options;
    }

    /// <summary>Compiles the bound section (no options at all when <paramref name="json"/> is null) with an environment
    /// written as <see cref="Env.Parse"/> reads it, and an optional PAC engine.</summary>
    public static ProxySettings Compile(string? json, string environment, IProxyAutoConfig? pac = null) =>
        ProxySettings.Compile(json is null ? null : Bind(json), Env.Parse(environment), pac, null);
}
