namespace ProxyNet.Forwarding;

/// <summary>A forward's or a CONNECT's destination: a host a request line can carry and a TCP port.</summary>
internal static class Destination
{
    public static void Validate(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (!IsHost(host))
        {
            throw new ArgumentException($"'{PeerText.Escape(host, 100)}' is not a host name or address", nameof(host));
        }
    }

    /// <summary>Letters, digits and <c>-._:</c> (IPv6) only, at most 253 characters: nothing that could end a line or a header.</summary>
    public static bool IsHost(string host) =>
        host.Length is > 0 and <= 253 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':');
}
