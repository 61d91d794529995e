using ProxyNet.Resolution;

namespace ProxyNet.Configuration;

/// <summary>
/// The library's own rules for showing URLs and proxy addresses without their secrets, for tools that print them
/// (the library applies the same rules to its logs, exceptions and metrics).
/// </summary>
public static class UrlRedaction
{
    /// <summary>What is shown in place of a secret: <c>***</c>.</summary>
    public const string Mask = Redaction.Mask;

    /// <summary>A request URL fit for a message: <c>scheme://host[:port]/path</c>, without user information, query or fragment.</summary>
    public static string Url(Uri url) => Redaction.Url(url);

    /// <summary>The same for text that may not parse as a URL (a bad command-line argument): everything up to the last '@' and after '?' or '#' goes.</summary>
    public static string Url(string text) => Redaction.Url(text);

    /// <summary>
    /// A configured proxy address (<c>HTTP_PROXY</c>'s value, <c>Proxy:HttpProxy</c>) as it may be shown: the user
    /// name kept, the password masked (<c>http://alice:***@proxy:3128</c>); an address that does not parse shows
    /// nothing after a ':' that could start a password.
    /// </summary>
    public static string ProxyAddress(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ProxyAddressParser.Display(value);
    }
}
