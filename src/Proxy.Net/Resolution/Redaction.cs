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
    /// <remarks>
    /// The path is cut from <see cref="Uri.PathAndQuery"/>, not asked of <see cref="Uri.GetComponents"/>, which throws for
    /// a URI made with <see cref="UriCreationOptions.DangerousDisablePathAndQueryCanonicalization"/> (the AWS SDK's).
    /// </remarks>
    public static string Url(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return "(relative URL)";
        }

        string pathAndQuery = uri.PathAndQuery;
        int query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + (query < 0 ? pathAndQuery : pathAndQuery[..query]);
    }
}
