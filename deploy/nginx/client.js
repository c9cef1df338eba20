// The per-client token nginx hands Amanat for clear-web visitors (X-Amanat-Client).
//
// Amanat's limits need to tell visitors apart, but must never be given an address: the
// token is an HMAC-SHA256 of the visitor's address (an IPv6 address counts by its /64,
// as one subscriber gets a whole /64) under a key that only root and the nginx master
// read (the include named by AMANAT_CLIENT_KEY_CONF sets $amanat_client_key). Without the
// key a token cannot be tested against a list of addresses. Amanat hashes it again under
// a key of the day before counting.
//
// No key (an empty or short one) gives no token: Amanat then sees no per-client signal and
// applies only its global budgets, rather than nginx failing every request.

var crypto = require('crypto');

// "2001:db8:1:2:a:b:c:d" and "2001:db8:1:2::9" both give "2001:db8:1:2::/64"; an IPv4
// address is itself, also written IPv4-mapped ("::ffff:192.0.2.1"), which would otherwise
// put every IPv4 client in one "0:0:0:0::/64".
function network(address) {
    var mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) {
        return mapped[1];
    }
    if (address.indexOf(':') < 0) {
        return address;
    }
    var halves = address.split('::');
    var head = halves[0] ? halves[0].split(':') : [];
    var tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
    var tailGroups = tail.length;
    if (tail.length && tail[tail.length - 1].indexOf('.') >= 0) {
        tailGroups += 1;  // a dotted IPv4 ending fills two groups
    }
    var groups = head.slice();
    if (halves.length > 1) {
        for (var i = head.length + tailGroups; i < 8; i++) {
            groups.push('0');
        }
        groups = groups.concat(tail);
    }
    var prefix = [];
    for (var j = 0; j < 4; j++) {
        prefix.push(parseInt(groups[j] || '0', 16).toString(16));
    }
    return prefix.join(':') + '::/64';
}

function token(r) {
    var key = r.variables.amanat_client_key || '';
    if (!/^[0-9a-f]{64,}$/.test(key)) {
        return '';
    }
    var mac = crypto.createHmac('sha256', Buffer.from(key, 'hex'));
    return 'c1.' + mac.update(network(r.remoteAddress)).digest('hex');
}

// The key of nginx's own per-client limits (limit_conn, limit_req) on the clear web: the
// same network the token names, so a subscriber who changes address inside its /64
// (2^64 addresses) stays one client. It lives only in nginx's shared memory.
function limitKey(r) {
    return network(r.remoteAddress);
}

export default {network, token, limitKey};
