namespace ProxyNet;

/// <summary>Hides passwords and tokens in URLs before they are shown anywhere (logs, exceptions, tags, CLI output).</summary>
internal static class Redaction
{
    public const string Mask = "***";

    /// <summary>
    /// A request URL fit for a message: <c>scheme://host[:port]/path</c>, without user information, query or
    /// fragment (a query often carries a token, such as a presigned S3 signature).
    /// </summary>
    /// <remarks>
    /// The path is cut from <see cref="Uri.PathAndQuery"/>, not asked of <see cref="Uri.GetComponents"/>, which throws for
    /// a URI made with <see cref="UriCreationOptions.DangerousDisablePathAndQueryCanonicalization"/> (the AWS SDK's).
    /// </remarks>
    public static string Url(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            return Url(uri.OriginalString);
        }

        try
        {
            string pathAndQuery = uri.PathAndQuery;
            int query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
            return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + (query < 0 ? pathAndQuery : pathAndQuery[..query]);
        }
        catch (Exception e) when (e is UriFormatException or InvalidOperationException)
        {
            // A host whose IDN form cannot be computed: fall back to the text, cut the same way.
            return Url(uri.OriginalString);
        }
    }

    /// <summary>The same for text that may not parse as a URL (a bad command-line argument, a relative reference).</summary>
    public static string Url(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int end = text.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            text = text[..end];
        }

        // Text that did not parse may hide a password with a '/' in it: everything up to the last '@' goes.
        int start = text.IndexOf("//", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + 2;
        int at = text.LastIndexOf('@');
        return at >= start ? text[..start] + text[(at + 1)..] : text;
    }

    public static string RedactUserInfo(string value)
    {
        int at = value.LastIndexOf('@');
        if (at < 0)
        {
            return value;
        }

        // A "://" after the '@' is not this value's scheme (a PAC item "user:pw@host http://…"): mask from the start.
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;

        string userInfo = value[start..at];
        int colon = userInfo.IndexOf(':');
        string user = colon >= 0 ? userInfo[..colon] : userInfo;
        return $"{value[..start]}{user}:{Mask}{value[at..]}";
    }
}
