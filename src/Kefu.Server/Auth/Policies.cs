namespace Kefu.Server.Auth;

internal static class Policies
{
    public const string Agent = "agent";
    public const string Admin = "admin";
}
