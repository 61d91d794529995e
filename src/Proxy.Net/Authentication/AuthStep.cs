namespace ProxyNet.Authentication;

/// <summary>What a scheme does with a challenge: send a <c>Proxy-Authorization</c> value, or give up and say why.</summary>
internal readonly record struct AuthStep(string? Header, string? Failure)
{
    public static AuthStep Send(string header) => new(header, null);

    public static AuthStep Fail(string failure) => new(null, failure);
}
