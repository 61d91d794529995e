namespace ProxyNet.Authentication;

/// <summary>One login scheme answering the proxy's challenges for one tunnel.</summary>
internal interface ISchemeAuthenticator : IDisposable
{
    /// <summary>The scheme name as sent on the wire: <c>Negotiate</c>, <c>NTLM</c>, <c>Digest</c>, <c>Basic</c>.</summary>
    string Scheme { get; }

    /// <summary>True for NTLM and Negotiate: every leg must travel on the same connection.</summary>
    bool IsConnectionBased { get; }

    /// <summary>The next <c>Proxy-Authorization</c> value for the challenge, or why there is none.</summary>
    AuthStep Respond(AuthChallenge challenge, string method, string uri);
}
