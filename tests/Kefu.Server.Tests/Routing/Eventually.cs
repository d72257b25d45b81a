namespace Kefu.Server.Tests.Routing;

/// <summary>Polls a condition until it holds or the deadline passes (then fails with the description).</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await condition())
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for: " + description);
            }
            await Task.Delay(25);
        }
    }

    public static Task HoldsAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
        => HoldsAsync(() => Task.FromResult(condition()), description, timeout);
}
