namespace ProxyNet.Resolution;

/// <summary>The proxy families a request URL can fall into (semantics, section 1).</summary>
internal enum ProxyScheme
{
    Http,
    Https,
    Ftp,
    Grpc,
}
