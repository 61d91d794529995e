namespace ProxyNet.Resolution;

/// <summary>
/// A source that answers per request rather than per scheme: a PAC script (<c>PacUrl</c>), WPAD (<c>AutoDetect</c>),
/// the desktop's settings (<c>UseSystemProxy</c>). Asked after NO_PROXY, for schemes no explicit option names.
/// </summary>
internal interface IDynamicProxySource
{
    ProxyDecision Resolve(Uri uri, string host);
}
