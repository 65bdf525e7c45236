<?php
// This file is part of Moodle - https://moodle.org/
//
// Moodle is free software: you can redistribute it and/or modify
// it under the terms of the GNU General Public License as published by
// the Free Software Foundation, either version 3 of the License, or
// (at your option) any later version.
//
// Moodle is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// You should have received a copy of the GNU General Public License
// along with Moodle.  If not, see <https://www.gnu.org/licenses/>.

namespace local_coursepack\local;

/**
 * One publish at a time per catalogue: a lease, stored in the plugin's config, that a run takes,
 * renews while it works and gives back at the end.
 *
 * Two mediators publishing at once both read "nothing there yet" and both created the same
 * activities. A Moodle lock cannot be held across web service calls (it belongs to one request),
 * so the run holds a lease instead: a holder, the time it was taken and an expiry. Moodle's lock
 * API makes the check-and-set of the lease atomic across requests and web servers; a holder that
 * dies stops renewing and its lease expires on its own. No table: the lease is one config value
 * per catalogue.
 *
 * @package    local_coursepack
 * @copyright  2026 CoursePack
 * @license    http://www.gnu.org/copyleft/gpl.html GNU GPL v3 or later
 */
class publish_lease {
    /** @var int Seconds to wait for the lock that guards the lease (held for a few queries). */
    const LOCK_WAIT = 10;

    /** @var int The longest lease a run may ask for, in seconds. */
    const MAX_DURATION = 3600;

    /**
     * The config name of a catalogue's lease.
     *
     * @param string $catalogue empty for the default catalogue
     * @return string
     */
    private static function name(string $catalogue): string {
        return 'publishlease' . ($catalogue === '' ? '' : '_' . $catalogue);
    }

    /**
     * Run a function holding the Moodle lock of one resource of this plugin.
     *
     * @param string $resource
     * @param int $wait seconds
     * @param callable $action
     * @return mixed what the action returns
     */
    public static function locked(string $resource, int $wait, callable $action) {
        $factory = \core\lock\lock_config::get_lock_factory('local_coursepack');
        $lock = $factory->get_lock($resource, $wait);
        if (!$lock) {
            throw new \moodle_exception('lockbusy', 'local_coursepack', '', $resource);
        }
        try {
            return $action();
        } finally {
            $lock->release();
        }
    }

    /**
     * The lease as stored, read from the database (not a cache another request may have filled).
     *
     * @param string $catalogue
     * @return array|null leaseid, name, host, since, expires
     */
    private static function read(string $catalogue): ?array {
        global $DB;
        $where = ['plugin' => 'local_coursepack', 'name' => self::name($catalogue)];
        $value = $DB->get_field('config_plugins', 'value', $where);
        $lease = $value ? json_decode($value, true) : null;
        $complete = is_array($lease)
            && isset($lease['leaseid'], $lease['name'], $lease['host'], $lease['since'], $lease['expires']);
        return $complete ? $lease : null;
    }

    /**
     * Take the lease, or renew it (the same lease id); refused while another run holds it unexpired.
     *
     * The client chooses the lease id (random): asking again after a lost answer renews the lease
     * it took instead of finding it held by "someone else".
     *
     * @param string $catalogue
     * @param string $leaseid
     * @param string $name the holder's name, as the waiting run will read it
     * @param string $host the holder's machine, as its command line names it
     * @param int $duration seconds until the lease expires unless renewed
     * @return array acquired, name, host, since, expires (the holder's, when refused), timenow
     */
    public static function acquire(string $catalogue, string $leaseid, string $name, string $host, int $duration): array {
        $duration = max(10, min(self::MAX_DURATION, $duration));
        return self::locked(
            'publish_' . ($catalogue === '' ? '-' : $catalogue),
            self::LOCK_WAIT,
            function () use ($catalogue, $leaseid, $name, $host, $duration): array {
                $now = time();
                $current = self::read($catalogue);
                $ours = $current && hash_equals((string) $current['leaseid'], $leaseid);
                if ($current && !$ours && $current['expires'] > $now) {
                    return ['acquired' => false, 'name' => (string) $current['name'], 'host' => (string) $current['host'],
                        'since' => (int) $current['since'], 'expires' => (int) $current['expires'], 'timenow' => $now];
                }
                $lease = ['leaseid' => $leaseid, 'name' => $name, 'host' => $host,
                    'since' => $ours ? (int) $current['since'] : $now, 'expires' => $now + $duration];
                set_config(self::name($catalogue), json_encode($lease), 'local_coursepack');
                unset($lease['leaseid']);
                return ['acquired' => true] + $lease + ['timenow' => $now];
            }
        );
    }

    /**
     * Give the lease back; a lease another run holds now is left alone.
     *
     * @param string $catalogue
     * @param string $leaseid
     * @return bool whether this lease was held and is released
     */
    public static function release(string $catalogue, string $leaseid): bool {
        return self::locked(
            'publish_' . ($catalogue === '' ? '-' : $catalogue),
            self::LOCK_WAIT,
            function () use ($catalogue, $leaseid): bool {
                $current = self::read($catalogue);
                if (!$current || !hash_equals((string) $current['leaseid'], $leaseid)) {
                    return false;
                }
                unset_config(self::name($catalogue), 'local_coursepack');
                return true;
            }
        );
    }
}
