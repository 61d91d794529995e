namespace ProxyNet.Tunnel;

/// <summary>Where a tunnel setup is, so a timeout can say what the proxy did not do.</summary>
internal sealed class SetupStage
{
    public const string Tcp = "tcp";
    public const string Tls = "tls";
    public const string Connect = "connect";

    public string Current { get; set; } = Tcp;

    public string TimeoutMessage(object proxy, string authority, TimeSpan timeout)
    {
        string seconds = timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return Current switch
        {
            Tcp => $"Proxy {proxy} did not accept a connection within {seconds} s",
            Tls => $"Proxy {proxy} did not complete the TLS handshake within {seconds} s (is it an https:// proxy? ConnectTimeout bounds the whole tunnel setup)",
            _ => $"Proxy {proxy} did not open a tunnel to {authority} within {seconds} s (ConnectTimeout bounds the whole setup: connection, TLS, CONNECT answers and login legs)",
        };
    }
}
