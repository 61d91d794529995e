namespace ProxyNet.Bypass;

/// <summary>
/// Allocation-free parsing of the IP literals that <see cref="Uri.IdnHost"/> produces
/// (dotted IPv4, IPv6 with or without brackets, zone id and embedded IPv4).
/// </summary>
internal static class IpLiteral
{
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        int parts = 0;
        int i = 0;
        while (parts < 4)
        {
            int start = i;
            uint value = 0;
            while (i < text.Length && (uint)(text[i] - '0') <= 9)
            {
                value = (value * 10) + (uint)(text[i] - '0');
                if (value > 255)
                {
                    return false;
                }

                i++;
            }

            if (i == start || i - start > 3)
            {
                return false;
            }

            address = (address << 8) | value;
            parts++;
            if (parts < 4)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == text.Length;
    }

    public static bool TryParseIPv6(ReadOnlySpan<char> text, out UInt128 address)
    {
        address = UInt128.Zero;
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        int zone = text.IndexOf('%');
        if (zone >= 0)
        {
            text = text[..zone];
        }

        if (text.Length < 2)
        {
            return false;
        }

        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (text[0] == ':')
        {
            if (text[1] != ':')
            {
                return false;
            }

            gap = 0;
            i = 2;
            if (i == text.Length)
            {
                return true;
            }
        }

        while (i < text.Length)
        {
            if (count >= 8)
            {
                return false;
            }

            int start = i;
            uint value = 0;
            while (i < text.Length && i - start < 5 && HexValue(text[i]) is int digit and >= 0)
            {
                value = (value << 4) | (uint)digit;
                i++;
            }

            if (i < text.Length && text[i] == '.')
            {
                // Embedded IPv4 in the last 32 bits (::ffff:10.1.2.3).
                if (count > 6 || !TryParseIPv4(text[start..], out uint v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = text.Length;
                break;
            }

            if (i == start || i - start > 4)
            {
                return false;
            }

            groups[count++] = (ushort)value;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':')
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                i++;
            }
            else if (i == text.Length)
            {
                return false;
            }
        }

        if (gap < 0 && count != 8)
        {
            return false;
        }

        if (gap >= 0 && count == 8)
        {
            return false;
        }

        UInt128 result = UInt128.Zero;
        int zeros = 8 - count;
        for (int g = 0, src = 0; g < 8; g++)
        {
            ushort value = 0;
            if (gap >= 0 && g >= gap && g < gap + zeros)
            {
                value = 0;
            }
            else
            {
                value = groups[src++];
            }

            result = (result << 16) | value;
        }

        address = result;
        return true;
    }

    /// <summary>Returns true for ::ffff:a.b.c.d and gives the IPv4 address inside it.</summary>
    public static bool TryGetMappedIPv4(UInt128 address, out uint v4)
    {
        v4 = (uint)address;
        return (address >> 32) == 0xFFFF;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
