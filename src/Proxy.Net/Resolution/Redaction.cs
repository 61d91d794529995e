namespace ProxyNet.Resolution;

/// <summary>Hides the password in a proxy URL before it is shown anywhere.</summary>
internal static class Redaction
{
    public const string Mask = "***";

    public static string RedactUserInfo(string value)
    {
        int start = value.IndexOf("://", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + 3;
        int at = value.LastIndexOf('@');
        if (at < start)
        {
            return value;
        }

        string userInfo = value[start..at];
        int colon = userInfo.IndexOf(':');
        string user = colon >= 0 ? userInfo[..colon] : userInfo;
        return $"{value[..start]}{user}:{Mask}{value[at..]}";
    }

    /// <summary>A URL fit for a log line, an exception or a terminal: scheme, host, port and path; no user information, no query.</summary>
    public static string Url(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "(relative URL)";
}
