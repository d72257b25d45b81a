namespace Kefu.Server.Auth;

/// <summary>The first admin, created on first run (section <c>Kefu:Admin</c>).</summary>
internal sealed class AdminOptions
{
    public const string Section = "Kefu:Admin";

    public string? Username { get; set; }
    public string? Password { get; set; }
    public string DisplayName { get; set; } = "Admin";
    public int MaxConcurrent { get; set; } = 10;
}
