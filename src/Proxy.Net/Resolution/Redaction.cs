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
}
