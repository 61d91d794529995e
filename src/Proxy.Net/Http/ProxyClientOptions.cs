namespace ProxyNet.Http;

/// <summary>How one named client (a "connection" in DSS terms) chooses its route.</summary>
public enum ProxyClientMode
{
    /// <summary>Use the global proxy settings (environment and <c>Proxy</c> section). The default.</summary>
    UseGlobal,

    /// <summary>Never use a proxy (DSS: "Use global proxy" unchecked).</summary>
    Direct,

    /// <summary>Use <see cref="ProxyClientOptions.ProxyUrl"/> for every request of this client.</summary>
    Proxy,
}

/// <summary>Per-client proxy settings, as named options keyed by the client's name.</summary>
public sealed class ProxyClientOptions
{
    /// <summary>How this client chooses its route. Default <see cref="ProxyClientMode.UseGlobal"/>.</summary>
    public ProxyClientMode Mode { get; set; } = ProxyClientMode.UseGlobal;

    /// <summary>The client's own proxy when <see cref="Mode"/> is <see cref="ProxyClientMode.Proxy"/>.</summary>
    public string? ProxyUrl { get; set; }

    /// <summary>True for a gRPC channel's client: <c>grpc_proxy</c>/<c>GRPC_PROXY</c> (or <c>Proxy:GrpcProxy</c>) first, then the scheme's proxy.</summary>
    public bool UseGrpcProxy { get; set; }

    /// <summary>This client's own certificate trust; null (default) uses the global <c>Proxy:Tls</c> settings.</summary>
    public Tls.ProxyTlsOptions? Tls { get; set; }

    /// <summary>Credentials for <c>ftp://</c> servers when the URL has none (anonymous otherwise).</summary>
    public System.Net.ICredentials? FtpCredentials { get; set; }

    /// <summary>Follow redirects, deciding the route again for each hop. Default true.</summary>
    public bool FollowRedirects { get; set; } = true;

    /// <summary>The most redirects followed for one request. Default 50, as <see cref="HttpClientHandler"/>.</summary>
    public int MaxRedirects { get; set; } = 50;

    /// <summary>
    /// True: reach every origin through an http proxy by CONNECT, <c>http://</c> ones too, instead of absolute-form
    /// requests (the proxy sees only host and port; it must allow CONNECT to those ports). h2c requests (HTTP/2 without
    /// TLS, such as insecure gRPC) are always tunnelled. Default false.
    /// </summary>
    public bool AlwaysTunnel { get; set; }
}
