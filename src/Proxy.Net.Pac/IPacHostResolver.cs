using System.Net;

namespace ProxyNet.Pac;

/// <summary>
/// The name service behind <c>dnsResolve</c>, <c>isResolvable</c>, <c>isInNet</c> and <c>myIpAddress</c> (and their
/// <c>Ex</c> variants). Replace it to test scripts without a network or to use a corporate resolver; answers are
/// cached for <see cref="PacOptions.DnsCacheDuration"/> in front of it.
/// </summary>
public interface IPacHostResolver
{
    /// <summary>The addresses of <paramref name="host"/>, or an empty list when it does not resolve.</summary>
    IReadOnlyList<IPAddress> Resolve(string host);

    /// <summary>This machine's addresses, the primary non-loopback one first.</summary>
    IReadOnlyList<IPAddress> GetLocalAddresses();
}
