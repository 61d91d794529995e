using System.Net;
using System.Text;

namespace ProxyNet.Authentication;

/// <summary>Basic: <c>user:password</c> in base64 (UTF-8, RFC 7617).</summary>
internal sealed class BasicAuthenticator(NetworkCredential credentials) : ISchemeAuthenticator
{
    public string Scheme => "Basic";

    public bool IsConnectionBased => false;

    public static string Header(NetworkCredential credentials) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"));

    public AuthStep Respond(AuthChallenge challenge, string method, string uri) => AuthStep.Send(Header(credentials));

    public void Dispose()
    {
    }
}
