using System.Globalization;
using System.Net;

namespace ProxyNet;

/// <summary>
/// A parsed proxy address. Credentials are kept apart from the address and never printed:
/// <see cref="ToString"/> and <see cref="Uri"/> carry no user information.
/// </summary>
public sealed class ProxyEndpoint : IEquatable<ProxyEndpoint>
{
    internal ProxyEndpoint(string scheme, string host, int port, NetworkCredential? credentials)
    {
        Scheme = scheme;
        Host = host;
        Port = port;
        Credentials = credentials;
        string hostText = host.Contains(':') ? $"[{host}]" : host;
        Address = string.Create(CultureInfo.InvariantCulture, $"{scheme}://{hostText}:{port}");
        Uri = new Uri(Address);
        _hash = HashCode.Combine(Address, credentials?.UserName);
    }

    // Endpoints key the connection pools on every request: hash the strings once.
    private readonly int _hash;

    /// <summary><c>http</c>, <c>https</c>, <c>socks5</c>, <c>socks5h</c>, <c>socks4</c> or <c>socks4a</c>.</summary>
    public string Scheme { get; }

    /// <summary>The proxy host: a lower-case DNS name or an IP address (IPv6 without brackets).</summary>
    public string Host { get; }

    /// <summary>The proxy port, always set (defaults: 80 http, 443 https, 1080 socks).</summary>
    public int Port { get; }

    /// <summary><c>scheme://host:port</c>, without credentials.</summary>
    public string Address { get; }

    /// <summary>The address as a <see cref="System.Uri"/>, without credentials.</summary>
    public Uri Uri { get; }

    /// <summary>The proxy credentials, or null. Never printed.</summary>
    public NetworkCredential? Credentials { get; }

    /// <summary>
    /// The login schemes this proxy may be answered with: <c>AuthSchemes</c> of the settings that named it
    /// (<see cref="ProxyAuthSchemes.All"/> when no settings did, as for a PAC script's answer). Every path honours it;
    /// a tool that talks to the proxy itself (<c>proxynet doctor</c>) reads it here to predict the login.
    /// </summary>
    public ProxyAuthSchemes AuthSchemes => Login.Schemes;

    /// <summary>
    /// True when this proxy is logged in to as the current user without <see cref="Credentials"/> (Negotiate and NTLM
    /// only): <c>UseDefaultCredentials</c> of the settings that named it.
    /// </summary>
    public bool UseDefaultCredentials => Login.UseDefaultCredentials;

    /// <summary>True for <c>socks*</c> schemes.</summary>
    public bool IsSocks => Scheme.StartsWith("socks", StringComparison.Ordinal);

    /// <summary>Returns <see cref="Address"/>: never the credentials.</summary>
    public override string ToString() => Address;

    /// <inheritdoc />
    public bool Equals(ProxyEndpoint? other) =>
        other is not null
        && Address == other.Address
        && Credentials?.UserName == other.Credentials?.UserName
        && Credentials?.Password == other.Credentials?.Password
        && Credentials?.Domain == other.Credentials?.Domain
        && Login == other.Login
        && ProxyHeaders.SameAs(Headers, other.Headers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ProxyEndpoint);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>How to log in to this proxy (passwordless, allowed schemes, preemptive Basic); never printed.</summary>
    internal ProxyLogin Login { get; private init; } = ProxyLogin.Default;

    /// <summary>Headers for this proxy only (<c>ProxyHeaders</c>): sent on CONNECT and absolute-form requests to it, never to an origin.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    /// <summary>Where <see cref="Credentials"/> came from, in the user's words (<c>the user information in HTTPS_PROXY</c>), for error messages.</summary>
    internal string? CredentialSource { get; init; }

    internal ProxyEndpoint WithCredentials(NetworkCredential? credentials, string? source) =>
        new(Scheme, Host, Port, credentials) { Login = Login, Headers = Headers, CredentialSource = credentials is null ? null : source };

    internal ProxyEndpoint WithLogin(ProxyLogin login) => new(Scheme, Host, Port, Credentials) { Login = login, Headers = Headers, CredentialSource = CredentialSource };

    internal ProxyEndpoint WithHeaders(IReadOnlyList<KeyValuePair<string, string>> headers) => new(Scheme, Host, Port, Credentials) { Login = Login, Headers = headers, CredentialSource = CredentialSource };
}
