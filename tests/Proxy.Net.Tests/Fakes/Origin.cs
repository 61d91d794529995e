using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ProxyNet.Tests.Fakes;

/// <summary>A WireMock.Net origin on loopback that answers "hello from origin" under /hello* and can redirect.</summary>
internal sealed class Origin : IDisposable
{
    public Origin()
    {
        Server = WireMockServer.Start(new WireMockServerSettings { Port = 0 });
        Server.Given(Request.Create().WithPath("/hello*").UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("hello from origin"));
    }

    public WireMockServer Server { get; }

    public int Port => Server.Port;

    /// <summary>The origin addressed by IP (so a NO_PROXY entry for "localhost" does not cover it).</summary>
    public string IpUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The same origin addressed by name.</summary>
    public string NameUrl => $"http://localhost:{Port}";

    public void RedirectTo(string path, string location) =>
        Server.Given(Request.Create().WithPath(path).UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", location));

    public IEnumerable<IDictionary<string, WireMock.Types.WireMockList<string>>> ReceivedHeaders =>
        Server.LogEntries.Select(e => e.RequestMessage.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>());

    public void Dispose() => Server.Stop();
}
