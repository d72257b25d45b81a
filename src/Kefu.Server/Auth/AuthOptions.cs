namespace Kefu.Server.Auth;

/// <summary>Tokens and login throttling (section <c>Kefu:Auth</c>).</summary>
internal sealed class AuthOptions
{
    public const string Section = "Kefu:Auth";

    /// <summary>Overrides the signing key kept in the store (shared by every node).</summary>
    public string? SigningKey { get; set; }

    public int AgentTokenHours { get; set; } = 12;
    public int VisitorTokenDays { get; set; } = 30;
    public int LoginMaxFailures { get; set; } = 5;
    public int LoginLockoutSeconds { get; set; } = 900;
}
