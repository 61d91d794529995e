using System.Globalization;

namespace ProxyNet.SystemSettings;

/// <summary>
/// Reads KDE's proxy settings from <c>kioslaverc</c> (<c>$XDG_CONFIG_HOME/kioslaverc</c>, else <c>~/.config/kioslaverc</c>),
/// group <c>[Proxy Settings]</c>: <c>ProxyType</c> 0 none, 1 manual (<c>httpProxy</c>, <c>httpsProxy</c>, <c>ftpProxy</c>,
/// <c>socksProxy</c>, written <c>http://host 8080</c> or <c>http://host:8080</c>; <c>NoProxyFor</c>, <c>ReversedException</c>),
/// 2 PAC (<c>Proxy Config Script</c>), 3 WPAD, 4 the environment variables.
/// </summary>
internal static class KdeProxySettings
{
    public static string PathOf(Func<string, string?> environment)
    {
        string? config = environment("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
        {
            config = Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }

        return Path.Combine(config, "kioslaverc");
    }

    public static DesktopProxySettings Read(Func<string, string?> environment)
    {
        string path = PathOf(environment);
        string source = $"KDE {path}";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e is FileNotFoundException or DirectoryNotFoundException
                ? new DesktopProxySettings(source, DesktopProxyMode.None) { Problem = "no kioslaverc (KDE has no proxy settings)" }
                : DesktopProxySettings.ReadFailed(source, e.Message);
        }

        return Parse(text, source);
    }

    internal static DesktopProxySettings Parse(string text, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inGroup = false;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('['))
            {
                inGroup = line == "[Proxy Settings]";
            }
            else if (inGroup && line.IndexOf('=') is > 0 and var eq && !line.StartsWith('#'))
            {
                // Localised or immutable keys (Key[$i]) count as the key itself.
                string key = line[..eq].Trim();
                int bracket = key.IndexOf('[');
                values[bracket > 0 ? key[..bracket] : key] = line[(eq + 1)..].Trim();
            }
        }

        string Value(string key) => values.TryGetValue(key, out string? v) ? v : string.Empty;
        string type = Value("ProxyType");
        switch (type)
        {
            case "" or "0":
                return new DesktopProxySettings(source, DesktopProxyMode.None);
            case "1":
                return new DesktopProxySettings(source, DesktopProxyMode.Manual)
                {
                    Http = Proxy(Value("httpProxy"), "http"),
                    Https = Proxy(Value("httpsProxy"), "http"),
                    Ftp = Proxy(Value("ftpProxy"), "http"),
                    Socks = Proxy(Value("socksProxy"), "socks5"),
                    Ignore = Value("NoProxyFor").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    Reversed = Value("ReversedException").Equals("true", StringComparison.OrdinalIgnoreCase),
                };
            case "2":
                return Value("Proxy Config Script") is { Length: > 0 } script
                    ? new DesktopProxySettings(source, DesktopProxyMode.Script) { PacUrl = script }
                    : DesktopProxySettings.Unreadable(source, "ProxyType=2 (PAC script) but 'Proxy Config Script' is empty");
            case "3":
                return new DesktopProxySettings(source, DesktopProxyMode.AutoDetect);
            case "4":
                return new DesktopProxySettings(source, DesktopProxyMode.Environment);
            default:
                return DesktopProxySettings.Unreadable(source, $"ProxyType={type} is not 0 to 4");
        }
    }

    /// <summary><c>http://host 8080</c>, <c>http://host:8080</c> or <c>host 8080</c> as a proxy URL; empty is none.</summary>
    private static string? Proxy(string value, string type)
    {
        if (value.Length == 0)
        {
            return null;
        }

        string[] parts = value.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string url = parts[0].Contains("://", StringComparison.Ordinal) ? parts[0] : $"{type}://{parts[0]}";
        if (url.StartsWith("socks://", StringComparison.OrdinalIgnoreCase))
        {
            url = "socks5://" + url["socks://".Length..];
        }

        return parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            ? $"{url.TrimEnd('/')}:{port.ToString(CultureInfo.InvariantCulture)}"
            : url;
    }
}
