using System.Net;

namespace ProxyNet.Authentication;

/// <summary>
/// The login to one proxy for one request (a CONNECT): picks the strongest scheme the proxy offers and may use,
/// answers each <c>407</c> leg, and when it gives up says in words what was offered, what was tried and why it failed.
/// Used by every path the library opens itself (tunnels for HTTPS proxies, FTP, WebSockets, gRPC, doctor).
/// </summary>
internal sealed class ProxyAuthenticator : IDisposable
{
    /// <summary>Strongest first.</summary>
    private static readonly (string Name, ProxyAuthSchemes Flag)[] Ranking =
    [
        ("Negotiate", ProxyAuthSchemes.Negotiate),
        ("NTLM", ProxyAuthSchemes.Ntlm),
        ("Digest", ProxyAuthSchemes.Digest),
        ("Basic", ProxyAuthSchemes.Basic),
    ];

    /// <summary>More legs than any real NTLM or Negotiate exchange needs: a proxy that keeps asking is refused.</summary>
    private const int MaxLegs = 6;

    private readonly string _proxyHost;
    private readonly NetworkCredential? _credentials;
    private readonly bool _useDefaultCredentials;
    private readonly ProxyAuthSchemes _allowed;
    private readonly bool _secureChannel;
    private readonly Func<string>? _cnonce;
    private readonly List<string> _tried = [];
    private readonly List<string> _failures = [];
    private Queue<(string Name, AuthChallenge Challenge)>? _candidates;
    private ISchemeAuthenticator? _current;
    private AuthChallenge? _firstChallenge;
    private string? _offered;
    private int _legs;
    private bool _staleRetried;
    private bool _preemptive;

    /// <param name="proxyHost">The proxy's host name (Kerberos asks for <c>HTTP/host</c>).</param>
    /// <param name="credentials">User and password, or null.</param>
    /// <param name="useDefaultCredentials">Without <paramref name="credentials"/>: log in as the current user (Negotiate/NTLM only).</param>
    /// <param name="allowed">The schemes the caller allows.</param>
    /// <param name="secureChannel">True when the connection to the proxy is TLS (an https:// proxy): Basic is then no worse than the channel.</param>
    /// <param name="cnonceSource">Digest client nonces (tests pin them); random by default.</param>
    public ProxyAuthenticator(string proxyHost, NetworkCredential? credentials, bool useDefaultCredentials, ProxyAuthSchemes allowed, bool secureChannel, Func<string>? cnonceSource = null)
    {
        _proxyHost = proxyHost;
        _credentials = credentials is { UserName.Length: > 0 } ? credentials : null;
        _useDefaultCredentials = useDefaultCredentials;
        _allowed = allowed;
        _secureChannel = secureChannel;
        _cnonce = cnonceSource;
    }

    /// <summary>The scheme of the last value sent, or null.</summary>
    public string? Scheme => _current?.Scheme;

    /// <summary>True while the current scheme needs its next leg on the same connection.</summary>
    public bool IsConnectionBased => _current?.IsConnectionBased == true;

    /// <summary>Basic on the first request, before any 407 (<c>PreemptiveBasic</c>), when that is allowed and possible.</summary>
    public string? Preemptive()
    {
        if (_credentials is null || !_allowed.HasFlag(ProxyAuthSchemes.Basic))
        {
            return null;
        }

        _tried.Add($"Basic as user '{_credentials.UserName}' (preemptive)");
        _preemptive = true;
        _current = new BasicAuthenticator(_credentials);
        _firstChallenge = new AuthChallenge("Basic", null, new Dictionary<string, string>());
        return BasicAuthenticator.Header(_credentials);
    }

    /// <summary>The <c>Proxy-Authorization</c> value answering a 407 with these challenges, or null: then <see cref="Describe"/> says why.</summary>
    public string? Next(IReadOnlyList<AuthChallenge> challenges, string method, string uri)
    {
        if (++_legs > MaxLegs)
        {
            _failures.Add($"the proxy still asked after {MaxLegs} legs");
            return null;
        }

        _offered ??= challenges.Count == 0 ? "nothing (no Proxy-Authenticate header)" : PeerText.Escape(string.Join(", ", challenges.Select(c => c.Scheme).Distinct(StringComparer.OrdinalIgnoreCase)), 200);
        if (_preemptive)
        {
            // The 407 answers the preemptive Basic: a rejection if Basic is on offer, else a wrong guess.
            _preemptive = false;
            if (challenges.Any(c => c.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)))
            {
                _failures.Add(Rejected("Basic"));
                return null;
            }

            _current?.Dispose();
            _current = null;
        }

        if (_current is null)
        {
            _candidates = Candidates(challenges);
            return StartNextCandidate(method, uri);
        }

        var challenge = challenges.FirstOrDefault(c => c.Scheme.Equals(_current.Scheme, StringComparison.OrdinalIgnoreCase));
        if (_current is DigestAuthenticator && challenge is not null && string.Equals(challenge["stale"], "true", StringComparison.OrdinalIgnoreCase) && !_staleRetried)
        {
            _staleRetried = true;
            return Answer(challenge, method, uri);
        }

        if (challenge is null || !_current.IsConnectionBased)
        {
            _failures.Add(Rejected(_current.Scheme));
            return null;
        }

        return Answer(challenge, method, uri);
    }

    /// <summary>
    /// The value to send on a new connection after the proxy closed the old one mid-login: the same answer again, or
    /// for NTLM/Negotiate a fresh first leg (their state belongs to the closed connection).
    /// </summary>
    public string? Restart(string method, string uri)
    {
        if (_current is null || _firstChallenge is null)
        {
            return null;
        }

        if (_current is NegotiateAuthenticator)
        {
            string scheme = _current.Scheme;
            _current.Dispose();
            _current = new NegotiateAuthenticator(scheme, _credentials, _proxyHost);
        }

        return Answer(_firstChallenge, method, uri);
    }

    /// <summary>The failure in words: offered schemes, tried schemes, and why each failed.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"it offered {_offered ?? "nothing"}" };
        if (_tried.Count > 0)
        {
            parts.Add($"tried {string.Join(", then ", _tried)}");
        }

        if (_failures.Count > 0)
        {
            parts.Add(string.Join("; ", _failures));
        }
        else if (_tried.Count == 0)
        {
            parts.Add("nothing was sent");
        }

        return string.Join("; ", parts);
    }

    public void Dispose() => _current?.Dispose();

    private Queue<(string Name, AuthChallenge Challenge)> Candidates(IReadOnlyList<AuthChallenge> challenges)
    {
        var offered = Ranking
            .Select(r => (r.Name, r.Flag, Challenge: challenges
                .Where(c => c.Scheme.Equals(r.Name, StringComparison.OrdinalIgnoreCase) && (r.Name != "Digest" || DigestAuthenticator.Supports(c)))
                .OrderByDescending(c => r.Name == "Digest" ? DigestAuthenticator.Strength(c) : 0)
                .FirstOrDefault()))
            .Where(r => r.Challenge is not null)
            .ToList();
        if (offered.Count == 0)
        {
            _failures.Add(challenges.Count == 0
                ? "the proxy named no login scheme"
                : $"Proxy.Net speaks Negotiate, NTLM, Digest (MD5, SHA-256) and Basic, and none of the offers is usable");
        }

        var allowed = offered.Where(r => _allowed.HasFlag(r.Flag)).ToList();
        foreach (var refused in offered.Where(r => !_allowed.HasFlag(r.Flag)))
        {
            _failures.Add($"{refused.Name} is not in AuthSchemes ({_allowed})");
        }

        // Basic over plain TCP hands the password to anyone on the path: never when something stronger was on offer.
        if (!_secureChannel && allowed.Count > 1 && allowed[^1].Name == "Basic")
        {
            allowed.RemoveAt(allowed.Count - 1);
            _failures.Add("Basic was not sent: the connection to the proxy is plain TCP and the proxy offered a stronger scheme (set AuthSchemes to Basic to allow it)");
        }

        var queue = new Queue<(string, AuthChallenge)>();
        foreach (var (name, _, challenge) in allowed)
        {
            queue.Enqueue((name, challenge!));
        }

        return queue;
    }

    private string? StartNextCandidate(string method, string uri)
    {
        while (_candidates!.TryDequeue(out var candidate))
        {
            _current?.Dispose();
            _current = Create(candidate.Name);
            if (_current is null)
            {
                continue;
            }

            _firstChallenge = candidate.Challenge;
            string? header = Answer(candidate.Challenge, method, uri);
            if (header is not null)
            {
                return header;
            }
        }

        if (_tried.Count == 0 && _credentials is null && !_useDefaultCredentials)
        {
            _failures.Add("no credentials are configured (a user and password in the proxy URL or Username/Password, or UseDefaultCredentials for Kerberos/NTLM as the current user)");
        }

        _current?.Dispose();
        _current = null;
        return null;
    }

    private ISchemeAuthenticator? Create(string scheme)
    {
        switch (scheme)
        {
            case "Negotiate" or "NTLM" when _credentials is not null || _useDefaultCredentials:
                return new NegotiateAuthenticator(scheme, _credentials, _proxyHost);
            case "Digest" when _credentials is not null:
                return new DigestAuthenticator(_credentials, _cnonce);
            case "Basic" when _credentials is not null:
                return new BasicAuthenticator(_credentials);
            case "Digest" or "Basic" when _useDefaultCredentials:
                _failures.Add($"{scheme} needs a user and password; UseDefaultCredentials covers only Negotiate and NTLM");
                return null;
            default:
                return null;
        }
    }

    private string? Answer(AuthChallenge challenge, string method, string uri)
    {
        var step = _current!.Respond(challenge, method, uri);
        string who = _credentials is null ? "as the current user" : $"as user '{_credentials.UserName}'";
        string label = $"{_current.Scheme} {who}";
        if (_tried.Count == 0 || _tried[^1] != label)
        {
            _tried.Add(label);
        }

        if (step.Header is not null)
        {
            return step.Header;
        }

        _failures.Add($"{_current.Scheme}: {step.Failure}");
        if (_current.IsConnectionBased && _legs <= 1 || _current is not NegotiateAuthenticator)
        {
            // Nothing reached the proxy for this scheme yet: the next offer may still work.
            return StartNextCandidate(method, uri);
        }

        return null;
    }

    private string Rejected(string scheme) => _credentials is null
        ? $"the proxy rejected the {scheme} login of the current user"
        : $"the proxy rejected the {scheme} login of user '{_credentials.UserName}' (wrong password or unknown user)";
}
