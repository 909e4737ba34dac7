package bus_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"

	"github.com/dateline/dateline/internal/bus"
)

// runAuthServer starts a NATS server with JetStream on a loopback port,
// set up by configure (its authentication and TLS).
func runAuthServer(t *testing.T, configure func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(), NoLog: true, NoSigs: true}
	configure(opts)
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("nats server: %v", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns
}

// TestDialAuthAndTLS connects to real servers that require a password, a
// token, an NKey or a client certificate: the right credentials connect
// (and JetStream answers), wrong ones fail with an error that shows no
// secret, and a seed list connects past a dead first seed.
func TestDialAuthAndTLS(t *testing.T) {
	dir := t.TempDir()
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := user.Seed()
	pub, _ := user.PublicKey()
	seedFile := write(t, dir, "user.nk", seed)
	other, _ := nkeys.CreateUser()
	otherSeed, _ := other.Seed()
	otherFile := write(t, dir, "other.nk", otherSeed)
	pki := newPKI(t, dir)

	passwordSrv := runAuthServer(t, func(o *server.Options) { o.Username, o.Password = "dateline", "hunter2" })
	tokenSrv := runAuthServer(t, func(o *server.Options) { o.Authorization = "s3cret-token" })
	nkeySrv := runAuthServer(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })
	tlsSrv := runAuthServer(t, func(o *server.Options) {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: pki.serverCert, KeyFile: pki.serverKey, CaFile: pki.ca, Verify: true})
		if err != nil {
			t.Fatal(err)
		}
		o.TLSConfig, o.TLS, o.TLSVerify, o.TLSTimeout = tc, true, true, 5
	})
	tlsURL := strings.Replace(tlsSrv.ClientURL(), "nats://", "tls://", 1)
	dead := fmt.Sprintf("nats://127.0.0.1:%d", deadPort(t))

	tests := []struct {
		name    string
		o       bus.Options
		ok      bool
		secrets []string // must not appear in the error
	}{
		{"password", bus.Options{URLs: passwordSrv.ClientURL(), User: "dateline", Password: "hunter2"}, true, nil},
		{"wrong password", bus.Options{URLs: passwordSrv.ClientURL(), User: "dateline", Password: "wrong-hunter3"}, false, []string{"wrong-hunter3"}},
		{"password in the URL is redacted", bus.Options{URLs: strings.Replace(passwordSrv.ClientURL(), "nats://", "nats://dateline:bad-hunter4@", 1)}, false, []string{"bad-hunter4"}},
		{"token", bus.Options{URLs: tokenSrv.ClientURL(), Token: "s3cret-token"}, true, nil},
		{"wrong token", bus.Options{URLs: tokenSrv.ClientURL(), Token: "other-token"}, false, []string{"other-token"}},
		{"nkey", bus.Options{URLs: nkeySrv.ClientURL(), NKeyFile: seedFile}, true, nil},
		{"unknown nkey", bus.Options{URLs: nkeySrv.ClientURL(), NKeyFile: otherFile}, false, []string{string(otherSeed)}},
		{"client certificate", bus.Options{URLs: tlsURL, TLSCA: pki.ca, TLSCert: pki.clientCert, TLSKey: pki.clientKey}, true, nil},
		{"no client certificate", bus.Options{URLs: tlsURL, TLSCA: pki.ca}, false, nil},
		{"seed list past a dead seed", bus.Options{URLs: dead + ", " + tokenSrv.ClientURL(), Token: "s3cret-token"}, true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var logs bytes.Buffer
			tc.o.Name, tc.o.Logger = "dial-test", slog.New(slog.NewTextHandler(&logs, nil))
			b, err := bus.Dial(ctx, tc.o)
			if !tc.ok {
				if err == nil {
					b.Close()
					t.Fatal("connected; want refused")
				}
				for _, s := range tc.secrets {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error %q shows the secret %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer b.Close()
			if err := b.Setup(ctx, 1); err != nil {
				t.Fatalf("Setup over the connection: %v", err)
			}
			if err := b.Ready(ctx); err != nil {
				t.Fatalf("Ready: %v", err)
			}
			for _, s := range []string{"hunter2", "s3cret-token", string(seed)} {
				if strings.Contains(logs.String(), s) {
					t.Errorf("logs show the secret %q", s)
				}
			}
		})
	}
}

func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// deadPort returns a loopback port nothing listens on.
func deadPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type pkiFiles struct{ ca, serverCert, serverKey, clientCert, clientKey string }

// newPKI writes a CA and a server (127.0.0.1) and a client certificate it
// signed, as PEM files under dir.
func newPKI(t *testing.T, dir string) pkiFiles {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dateline test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := func(name string, serial int64, usage x509.ExtKeyUsage) (string, string) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, _ := x509.MarshalECPrivateKey(key)
		return write(t, dir, name+".pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
			write(t, dir, name+"-key.pem", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}))
	}
	var p pkiFiles
	p.ca = write(t, dir, "ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	p.serverCert, p.serverKey = leaf("server", 2, x509.ExtKeyUsageServerAuth)
	p.clientCert, p.clientKey = leaf("client", 3, x509.ExtKeyUsageClientAuth)
	return p
}
