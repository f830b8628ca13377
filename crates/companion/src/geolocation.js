// The phone's position for an approval, if its user shares it: one coarse reading (no
// GPS fix: low accuracy), a recent one if the browser has it, given up after `timeoutMs`.
// Never rejects: a refusal, a timeout or no geolocation at all resolve to null, and the
// approval goes without a location.
export function currentPosition(timeoutMs) {
  return new Promise((resolve) => {
    if (!("geolocation" in navigator)) {
      resolve(null);
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve([position.coords.latitude, position.coords.longitude]),
      () => resolve(null),
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 600000 },
    );
  });
}
