using System.Globalization;
using System.Net;

namespace ProxyNet.Cli;

/// <summary>
/// One <c>[BIND:]LOCAL_PORT:HOST:PORT</c> of <c>proxynet tunnel</c> (cntlm's <c>-L</c> and <c>ssh -L</c>): BIND
/// defaults to 127.0.0.1, IPv6 addresses are written in brackets (<c>[::1]:6543:[fd00::5]:5432</c>), a local port of 0
/// lets the OS pick one.
/// </summary>
internal sealed record ForwardSpec(IPEndPoint Local, string Host, int Port)
{
    public static ForwardSpec Parse(string text)
    {
        var parts = Split(text);
        if (parts.Count is not (3 or 4))
        {
            throw new UsageException($"'{Terminal.Safe(text)}' is not [BIND:]LOCAL_PORT:HOST:PORT");
        }

        string bind = parts.Count == 4 ? parts[0] : "127.0.0.1";
        if (!IPAddress.TryParse(bind, out var address))
        {
            throw new UsageException($"'{Terminal.Safe(text)}': the bind address '{Terminal.Safe(bind)}' is not an IP address");
        }

        int local = Number(parts[^3], text, "local port", allowZero: true);
        int port = Number(parts[^1], text, "port", allowZero: false);
        string host = parts[^2];
        if (host.Length == 0 || host.Any(c => c is ' ' or '/' or '@' or '?' or '#' || char.IsControl(c)))
        {
            throw new UsageException($"'{Terminal.Safe(text)}': '{Terminal.Safe(host)}' is not a host name or address");
        }

        return new ForwardSpec(new IPEndPoint(address, local), host, port);
    }

    private static int Number(string text, string spec, string what, bool allowZero) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= 65535 && (allowZero || value > 0)
            ? value
            : throw new UsageException($"'{Terminal.Safe(spec)}': the {what} '{Terminal.Safe(text)}' is not a number from {(allowZero ? 0 : 1)} to 65535");

    /// <summary>Splits at ':' outside brackets, dropping the brackets.</summary>
    private static List<string> Split(string text)
    {
        var parts = new List<string>();
        int start = 0;
        bool bracket = false;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ':' && !bracket))
            {
                parts.Add(text[start..i].Trim('[', ']'));
                start = i + 1;
            }
            else if (text[i] == '[')
            {
                bracket = true;
            }
            else if (text[i] == ']')
            {
                bracket = false;
            }
        }

        return parts;
    }
}
