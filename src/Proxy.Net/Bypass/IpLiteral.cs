namespace ProxyNet.Bypass;

/// <summary>
/// Allocation-free parsing of the IP literals that <see cref="Uri.IdnHost"/> produces
/// (dotted IPv4, IPv6 with or without brackets, with a zone id or an embedded IPv4).
/// </summary>
internal static class IpLiteral
{
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        uint value = 0;
        int digits = 0;
        int parts = 0;
        foreach (char c in text)
        {
            if ((uint)(c - '0') <= 9)
            {
                value = (value * 10) + (uint)(c - '0');
                if (++digits > 3 || value > 255)
                {
                    return false;
                }
            }
            else if (c == '.' && digits > 0 && parts < 3)
            {
                address = (address << 8) | value;
                parts++;
                value = 0;
                digits = 0;
            }
            else
            {
                return false;
            }
        }

        if (parts != 3 || digits == 0)
        {
            return false;
        }

        address = (address << 8) | value;
        return true;
    }

    public static bool TryParseIPv6(ReadOnlySpan<char> text, out ulong hi, out ulong lo)
    {
        hi = lo = 0;
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        int zone = text.IndexOf('%');
        if (zone >= 0)
        {
            text = text[..zone];
        }

        // Groups before "::" go to head, groups after it to tail; the gap is the zeros between.
        UInt128 head = 0, tail = 0;
        int headCount = 0, tailCount = 0;
        bool gap = false;
        int i = 0;
        if (text.Length >= 2 && text[0] == ':' && text[1] == ':')
        {
            gap = true;
            i = 2;
        }
        else if (text.Length < 2)
        {
            return false;
        }

        while (i < text.Length)
        {
            int start = i;
            uint value = 0;
            while (i < text.Length && i - start < 4)
            {
                uint c = text[i];
                uint digit = c - '0';
                if (digit > 9)
                {
                    digit = (c | 0x20) - 'a';
                    if (digit > 5)
                    {
                        break;
                    }

                    digit += 10;
                }

                value = (value << 4) | digit;
                i++;
            }

            int groups = 1;
            if (i < text.Length && text[i] == '.')
            {
                // The last 32 bits written as IPv4 (::ffff:10.1.2.3).
                if (!TryParseIPv4(text[start..], out value))
                {
                    return false;
                }

                groups = 2;
                i = text.Length;
            }
            else if (i == start)
            {
                return false;
            }

            if (headCount + tailCount + groups > 8)
            {
                return false;
            }

            if (gap)
            {
                tail = (tail << (16 * groups)) | value;
                tailCount += groups;
            }
            else
            {
                head = (head << (16 * groups)) | value;
                headCount += groups;
            }

            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':' || ++i == text.Length)
            {
                return false;
            }

            if (text[i] == ':')
            {
                if (gap)
                {
                    return false;
                }

                gap = true;
                i++;
            }
        }

        int total = headCount + tailCount;
        if (gap ? total == 8 : total != 8)
        {
            return false;
        }

        UInt128 address = headCount == 0 ? tail : (head << (16 * (8 - headCount))) | tail;
        hi = (ulong)(address >> 64);
        lo = (ulong)address;
        return true;
    }

    /// <summary>True for ::ffff:a.b.c.d, giving the IPv4 address inside it.</summary>
    public static bool TryGetMappedIPv4(ulong hi, ulong lo, out uint v4)
    {
        v4 = (uint)lo;
        return hi == 0 && (lo >> 32) == 0xFFFF;
    }

}
